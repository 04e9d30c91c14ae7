package io.swarmcdn.torrent.peerwire;

/**
 * Receives the messages a {@link WireDecoder} decodes, in stream order. Array arguments
 * ({@code src, offset, length}) are views into the decoder's input or its reassembly buffer:
 * valid only during the call, so a handler that keeps the bytes copies them. A handler rejects a
 * message that is well-formed but not allowed here (e.g. a fast-extension message that was not
 * negotiated) by throwing {@link PeerProtocolException}.
 */
public interface WireHandler {

    void onHandshake(Handshake handshake);

    void onKeepAlive();

    void onChoke();

    void onUnchoke();

    void onInterested();

    void onNotInterested();

    void onHave(int piece);

    /** BEP 3 bitfield payload; its length is validated by the handler, who knows the piece count. */
    void onBitfield(byte[] src, int offset, int length);

    void onRequest(int piece, int begin, int length);

    /** A block: {@code length} bytes of {@code piece} at {@code begin}, in {@code src[offset..]}. */
    void onPiece(int piece, int begin, byte[] src, int offset, int length);

    void onCancel(int piece, int begin, int length);

    /** BEP 6. */
    void onSuggest(int piece);

    /** BEP 6. */
    void onHaveAll();

    /** BEP 6. */
    void onHaveNone();

    /** BEP 6. */
    void onReject(int piece, int begin, int length);

    /** BEP 6. */
    void onAllowedFast(int piece);

    /** BEP 10: extended message {@code extendedId} (0 = extended handshake) with its payload. */
    void onExtended(int extendedId, byte[] src, int offset, int length);
}
