import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '../json';

/** A published variant config; immutable once written (a case pins its version). */
@Entity('variant_versions')
export class VariantVersionRow {
  @PrimaryColumn({ name: 'key', type: 'varchar', length: 100 })
  key!: string;

  @PrimaryColumn({ name: 'version', type: 'integer' })
  version!: number;

  @Column({ name: 'template', type: 'varchar', length: 32 })
  template!: string;

  @Column({ name: 'config', type: 'text', transformer: jsonText<Record<string, unknown>>() })
  config!: Record<string, unknown>;

  @Column({ name: 'published_at', type: 'varchar', length: 24 })
  publishedAt!: string;

  @Column({ name: 'published_by', type: 'varchar', length: 200 })
  publishedBy!: string;
}
