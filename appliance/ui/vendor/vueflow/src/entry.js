// Build entry: everything the node editor imports, re-exported from one ES module (vue stays external).
export { VueFlow, Handle, Position, MarkerType, useVueFlow } from '@vue-flow/core';
export { Background } from '@vue-flow/background';
export { Controls, ControlButton } from '@vue-flow/controls';
export { MiniMap } from '@vue-flow/minimap';
import dagre from '@dagrejs/dagre';
import coreCss from '@vue-flow/core/dist/style.css';
import themeCss from '@vue-flow/core/dist/theme-default.css';
import controlsCss from '@vue-flow/controls/dist/style.css';
import minimapCss from '@vue-flow/minimap/dist/style.css';
export { dagre };
export const css = [coreCss, themeCss, controlsCss, minimapCss].join('\n');
