import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { BuiltInVariants1763900000001 } from './1763900000001-built-in-variants';

/** Every migration, oldest first. Add new ones at the end; never edit a released one. */
export const MIGRATIONS: (new () => object)[] = [InitialSchema1763900000000, BuiltInVariants1763900000001];
