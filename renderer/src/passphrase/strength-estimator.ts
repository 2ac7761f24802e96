import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/**
 * zxcvbn with its English and common dictionaries. Only ever imported dynamically: the dictionaries are
 * about a megabyte, so they become one chunk (strength-estimator-*.js) loaded when a passphrase form opens.
 */
export function createStrengthEstimator(): ZxcvbnFactory {
  return new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
    useLevenshteinDistance: true,
  });
}
