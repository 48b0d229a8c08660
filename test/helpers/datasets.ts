/** Tests find external data sets exactly as the benchmarks do (and skip, saying where they looked). */
export { nslKddCandidates, nslKddDir } from '../../cli/datasets.js';
