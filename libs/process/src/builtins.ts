import acute from './variants/acute.json';
import fgc from './variants/fgc.json';
import networkMapping from './variants/network-mapping.json';
import networkMeeting from './variants/network-meeting.json';
import { parseVariantConfig, type VariantConfig } from './variant-config';

function checked(raw: unknown): VariantConfig {
  const result = parseVariantConfig(raw);
  if (!result.ok) throw new Error(`built-in variant is invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** The four built-in variants with the defaults of product.md, each kept as a data file in variants/. */
export const builtInVariants: readonly VariantConfig[] = [fgc, acute, networkMapping, networkMeeting].map(
  checked,
);

export function builtInVariant(key: string): VariantConfig {
  const found = builtInVariants.find((v) => v.key === key);
  if (!found) throw new Error(`no built-in variant ${key}`);
  return found;
}
