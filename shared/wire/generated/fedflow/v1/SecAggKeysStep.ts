// Original file: fedflow/v1/federation.proto


/**
 * Step 1 has no data of its own.
 */
export interface SecAggKeysStep {
}

/**
 * Step 1 has no data of its own.
 */
export interface SecAggKeysStep__Output {
}
