/** Who wrote a report: the name, version and home page every output format (JSON, SARIF, comments) carries. */
export const TOOL = { name: 'container-guard', version: '0.1.0', informationUri: 'https://github.com/container-guard/container-guard' };
