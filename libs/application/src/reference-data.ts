import { readFileSync } from 'node:fs';
import { parseCatalog, parseMarkets, parsePolicyTable, type CancellationPolicy, type Catalog, type Markets } from '@csp/domain';

/** The data the deciders need: the catalog, the cancellation policy table and the ISO 3166-1 markets. */
export interface ReferenceData {
  readonly catalog: Catalog;
  readonly policies: readonly CancellationPolicy[];
  readonly markets: Markets;
}

export interface ReferenceDataFiles {
  readonly catalogFile: string;
  readonly cancellationPoliciesFile: string;
  readonly azureUnavailableMarketsFile: string;
  readonly marketsFile: string;
}

/** Reads and validates the data files; a bad file stops start-up with a message naming it. */
export function loadReferenceData(files: ReferenceDataFiles): ReferenceData {
  const markets = readJson(files.azureUnavailableMarketsFile) as { markets?: unknown };
  if (!Array.isArray(markets.markets) || !markets.markets.every((m) => typeof m === 'string')) {
    throw new Error(`${files.azureUnavailableMarketsFile}: expected { "markets": ["AQ", …] }`);
  }
  try {
    return {
      catalog: parseCatalog(readJson(files.catalogFile), markets.markets as string[]),
      policies: parsePolicyTable(readJson(files.cancellationPoliciesFile)),
      markets: parseMarkets(readJson(files.marketsFile)),
    };
  } catch (error) {
    throw new Error(`Reference data is invalid: ${(error as Error).message}`);
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}
