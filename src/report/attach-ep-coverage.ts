// Adds the static EP coverage of the final model to a report, with a warning for each EP whose CPU fallback would dominate.
import { asEdgeoptErrors } from '../errors.js';
import { coverageWarning, epCoverage } from '../ort/ep-coverage/analyze.js';
import type { Report } from './report-schema.js';

export async function attachEpCoverage(report: Report, modelFile: string): Promise<void> {
  if (report.target.format !== 'onnx' || !report.target.ep.some((ep) => ep !== 'cpu')) return;
  try {
    const coverage = await epCoverage(modelFile, report.target.ep);
    if (coverage.length === 0) return;
    report.ep_coverage = coverage;
    for (const c of coverage) {
      const w = coverageWarning(c);
      if (w) report.warnings.push(`static EP coverage: ${w}`);
    }
  } catch (err) {
    // the model already ran in the benchmark; a graph our reader cannot walk costs this section, not the build
    report.warnings.push(`static EP coverage not computed: ${asEdgeoptErrors(err)[0]!.message}`);
  }
}
