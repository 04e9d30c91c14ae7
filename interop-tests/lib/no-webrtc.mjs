// Stand-in for webrtc-polyfill (see no-webrtc-hooks.mjs): any use is a test bug, so it fails loudly.
class Unavailable {
  constructor () { throw new Error('no WebRTC in node: the scenario must not create peers') }
}
export const RTCPeerConnection = Unavailable
export const RTCSessionDescription = Unavailable
export const RTCIceCandidate = Unavailable
export default { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate }
