package io.swarmcdn.torrent.tracker;

import io.swarmcdn.torrent.metainfo.InfoHash;

/**
 * The query of a classic tracker announce (BEP 3, with {@code compact=1} of BEP 23), independent
 * of how it is sent.
 *
 * @param infoHash the torrent
 * @param peerId our 20-byte peer id
 * @param port the TCP port we accept peers on
 * @param uploaded bytes sent to peers since the {@code started} event
 * @param downloaded bytes received (verified) since the {@code started} event
 * @param left bytes still missing
 * @param event the BEP 3 event, or {@link Event#NONE} for a regular re-announce
 * @param numWant how many peers we would like (-1: the tracker's default)
 */
public record AnnounceRequest(InfoHash infoHash, byte[] peerId, int port, long uploaded,
        long downloaded, long left, Event event, int numWant) {

    /** BEP 3 announce events. */
    public enum Event {
        NONE(null), STARTED("started"), COMPLETED("completed"), STOPPED("stopped");

        private final String wireName;

        Event(String wireName) {
            this.wireName = wireName;
        }
    }

    public AnnounceRequest {
        if (peerId.length != 20) {
            throw new IllegalArgumentException("peer id must be 20 bytes");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (uploaded < 0 || downloaded < 0 || left < 0) {
            throw new IllegalArgumentException("negative byte count");
        }
        peerId = peerId.clone();
    }

    /** The full announce URL: {@code announceUrl} with this request's query appended. */
    public String toUrl(String announceUrl) {
        StringBuilder sb = new StringBuilder(announceUrl.length() + 200).append(announceUrl);
        sb.append(announceUrl.indexOf('?') >= 0 ? '&' : '?');
        sb.append("info_hash=");
        percentEncode(infoHash.bytes(), sb);
        sb.append("&peer_id=");
        percentEncode(peerId, sb);
        sb.append("&port=").append(port);
        sb.append("&uploaded=").append(uploaded);
        sb.append("&downloaded=").append(downloaded);
        sb.append("&left=").append(left);
        sb.append("&compact=1");
        if (event.wireName != null) {
            sb.append("&event=").append(event.wireName);
        }
        if (numWant >= 0) {
            sb.append("&numwant=").append(numWant);
        }
        return sb.toString();
    }

    /** RFC 3986 percent-encoding of raw bytes: unreserved characters stay, the rest is %XX. */
    private static void percentEncode(byte[] bytes, StringBuilder sb) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >>> 4]).append(HEX[c & 15]);
            }
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
