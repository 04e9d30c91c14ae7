package io.swarmcdn.torrent.peerwire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Records decoded messages as readable strings (payloads as hex), for assertions. */
public final class RecordingHandler implements WireHandler {

    public final List<String> events = new ArrayList<>();
    public Handshake handshake;
    /** Raw payloads of extended messages, in order. */
    public final List<byte[]> extendedPayloads = new ArrayList<>();
    /** Raw blocks of piece messages, in order. */
    public final List<byte[]> blocks = new ArrayList<>();
    /** Makes {@link #onHave} throw a violation after recording, to test error propagation. */
    public boolean failOnHave;

    @Override
    public void onHandshake(Handshake h) {
        handshake = h;
        events.add("handshake fast=" + h.supportsFast() + " ext=" + h.supportsExtensionProtocol()
                + " id=" + new String(h.peerId(), StandardCharsets.ISO_8859_1));
    }

    @Override
    public void onKeepAlive() {
        events.add("keep-alive");
    }

    @Override
    public void onChoke() {
        events.add("choke");
    }

    @Override
    public void onUnchoke() {
        events.add("unchoke");
    }

    @Override
    public void onInterested() {
        events.add("interested");
    }

    @Override
    public void onNotInterested() {
        events.add("not interested");
    }

    @Override
    public void onHave(int piece) {
        events.add("have " + piece);
        if (failOnHave) {
            throw new PeerProtocolException("no haves here");
        }
    }

    @Override
    public void onBitfield(byte[] src, int offset, int length) {
        events.add("bitfield " + HexFormat.of().formatHex(src, offset, offset + length));
    }

    @Override
    public void onRequest(int piece, int begin, int length) {
        events.add("request " + piece + " " + begin + " " + length);
    }

    @Override
    public void onPiece(int piece, int begin, byte[] src, int offset, int length) {
        blocks.add(Arrays.copyOfRange(src, offset, offset + length));
        events.add("piece " + piece + " " + begin + " " + length);
    }

    @Override
    public void onCancel(int piece, int begin, int length) {
        events.add("cancel " + piece + " " + begin + " " + length);
    }

    @Override
    public void onSuggest(int piece) {
        events.add("suggest " + piece);
    }

    @Override
    public void onHaveAll() {
        events.add("have all");
    }

    @Override
    public void onHaveNone() {
        events.add("have none");
    }

    @Override
    public void onReject(int piece, int begin, int length) {
        events.add("reject " + piece + " " + begin + " " + length);
    }

    @Override
    public void onAllowedFast(int piece) {
        events.add("allowed fast " + piece);
    }

    @Override
    public void onExtended(int extendedId, byte[] src, int offset, int length) {
        extendedPayloads.add(Arrays.copyOfRange(src, offset, offset + length));
        events.add("extended " + extendedId + " " + length);
    }
}
