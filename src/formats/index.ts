import { renderCloudpods } from './cloudpods.js';
import { renderStandard } from './standard.js';
import { renderStrigo } from './strigo.js';
import { RenderError, type RenderedRequest, type RenderInput } from './types.js';

export { RenderError } from './types.js';
export type * from './types.js';
export { reservedHeaderProblem, headerValueProblem } from './headers.js';
export { cloudpodsEndpointProblems, renderCloudpodsValidation } from './cloudpods.js';
export { parseTemplate, renderTemplate, type ParseResult } from './template/index.js';
export { generateStandardSecret, hmacSha256Hex, signStandard, standardSignatureHeader } from './signing.js';

/** One message for one endpoint, in that endpoint's wire format. Pure: same input, same bytes. */
export function renderRequest(input: RenderInput): RenderedRequest {
  const format = input.endpoint.format;
  switch (format) {
    case 'strigo':
      return renderStrigo(input);
    case 'standard':
      return renderStandard(input);
    case 'cloudpods':
      return renderCloudpods(input);
    default: {
      const unknown: never = format;
      throw new RenderError('render', `unknown format ${String(unknown)}`);
    }
  }
}
