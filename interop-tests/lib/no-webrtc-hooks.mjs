// Module resolution hook: node has no WebRTC module here (webrtc-polyfill's native
// node-datachannel is not built, because we install with --ignore-scripts), so `webrtc-polyfill`
// resolves to a stand-in whose classes throw. The npm client imports it but never constructs a
// peer when it announces with numwant 0 and receives no offer.
export async function resolve (specifier, context, nextResolve) {
  if (specifier === 'webrtc-polyfill') {
    return { url: new URL('./no-webrtc.mjs', import.meta.url).href, shortCircuit: true }
  }
  return nextResolve(specifier, context)
}
