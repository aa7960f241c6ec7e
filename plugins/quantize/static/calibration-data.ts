// The recipe's calibration data opened against the model's inputs, or a recipe error saying how to add it.
import {
  EdgeoptError, openDataset, openSession, resolveInputSpecs, type InputMetadata, type OpenedDataset, type SampleFeeds, type StepContext,
} from '../../../src/api.js';

export type CalibrationSamples = Pick<OpenedDataset, 'samples' | 'batches'> & { layout: OpenedDataset['layout'] };

/** The first `count` samples of a dataset. */
function firstSamples(dataset: OpenedDataset, count: number): CalibrationSamples {
  const samples = Math.min(count, dataset.samples);
  return {
    samples, layout: dataset.layout,
    async *batches(batch, signal) {
      let left = samples;
      for await (const b of dataset.batches(batch, signal)) {
        if (left <= 0) return;
        yield b.slice(0, left);
        left -= b.length;
      }
    },
  };
}

/** Opens data.calibration for the step's input model; E_QUANTIZE_NO_CALIBRATION when the recipe has none. */
export async function openCalibration(ctx: StepContext, limit: number | undefined): Promise<CalibrationSamples> {
  const dataset = ctx.data.calibration;
  if (!dataset) {
    throw new EdgeoptError({
      code: 'E_QUANTIZE_NO_CALIBRATION', kind: 'recipe',
      message: `step ${ctx.stepId}: static INT8 quantization takes activation ranges from calibration data, and the recipe has no data.calibration`,
      hint: 'add data: { calibration: { source: ./data/calib, samples: 64 } } to the recipe (a folder with one <input>.npy per model input, axis 0 = sample, or a data.jsonl), with inputs like the ones the model will see',
    });
  }
  const probe = await openSession(ctx.inputs.model.path, { ep: ctx.target.ep, threads: 1 });
  let specs;
  try {
    specs = resolveInputSpecs(probe.session.inputMetadata as readonly InputMetadata[], ctx.modelInputs);
  } finally {
    await probe.session.release();
  }
  const opened = await openDataset(dataset, specs, 'calibration');
  return firstSamples(opened, limit ?? opened.samples);
}

/** The first `count` samples' feeds, read once (mixed precision runs many models on the same few samples). */
export async function firstFeeds(samples: CalibrationSamples, count: number, signal?: AbortSignal): Promise<SampleFeeds[]> {
  const feeds: SampleFeeds[] = [];
  for await (const batch of samples.batches(Math.min(count, samples.samples), signal)) {
    feeds.push(...batch.slice(0, count - feeds.length));
    if (feeds.length >= count) break;
  }
  return feeds;
}
