// `model.inputs` as a recipe writes it (a shape, or shape + dtype + value) → the InputPins the engine reads.
import type { InputPinDoc } from './schema.js';
import type { InputPin } from './types.js';

/** `model.inputs` as written (a shape, or shape + dtype + value) → one InputPin per input. */
export function inputPins(inputs: Record<string, InputPinDoc>): Record<string, InputPin> {
  const out: Record<string, InputPin> = {};
  for (const [name, pin] of Object.entries(inputs)) {
    out[name] = Array.isArray(pin)
      ? { shape: pin }
      : { shape: pin.shape, ...(pin.dtype ? { dtype: pin.dtype } : {}), ...(pin.value !== undefined ? { value: pin.value } : {}) };
  }
  return out;
}
