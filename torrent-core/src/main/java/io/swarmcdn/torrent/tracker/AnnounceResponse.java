package io.swarmcdn.torrent.tracker;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BList;
import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.bencode.BValue;
import io.swarmcdn.torrent.bencode.BencodeDecoder;
import io.swarmcdn.torrent.bencode.BencodeEncoder;
import io.swarmcdn.torrent.bencode.BencodeException;
import io.swarmcdn.torrent.bencode.BencodeLimits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A classic (HTTP) tracker's reply to an announce (BEP 3), either a failure with its
 * {@code failure reason}, or an interval and a peer list. Peers may come compact (BEP 23
 * {@code peers} string, BEP 7 {@code peers6}) or as the original list of dictionaries.
 */
public final class AnnounceResponse {

    /**
     * Largest reply body accepted. A compact reply of 1 MiB already lists ~170 000 peers; anything
     * larger is not a tracker speaking in good faith.
     */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final BencodeLimits LIMITS =
            BencodeLimits.DEFAULT.withMaxTotalSize(MAX_BODY_BYTES).withMaxDepth(4).withMaxItems(100_000);

    private final String failureReason;
    private final String warningMessage;
    private final int interval;
    private final int minInterval;
    private final int complete;
    private final int incomplete;
    private final List<PeerAddress> peers;

    private AnnounceResponse(String failureReason, String warningMessage, int interval,
            int minInterval, int complete, int incomplete, List<PeerAddress> peers) {
        this.failureReason = failureReason;
        this.warningMessage = warningMessage;
        this.interval = interval;
        this.minInterval = minInterval;
        this.complete = complete;
        this.incomplete = incomplete;
        this.peers = Collections.unmodifiableList(peers);
    }

    /** A successful reply listing {@code peers}, to be re-announced after {@code interval} s. */
    public static AnnounceResponse of(int interval, List<PeerAddress> peers) {
        if (interval < 0) {
            throw new IllegalArgumentException("negative interval " + interval);
        }
        return new AnnounceResponse(null, null, interval, -1, -1, -1, new ArrayList<>(peers));
    }

    /** A failure reply: the tracker refused the announce, for the given human-readable reason. */
    public static AnnounceResponse failure(String reason) {
        return new AnnounceResponse(reason, null, 0, -1, -1, -1, List.of());
    }

    /**
     * Parses a reply body (untrusted).
     *
     * @throws IllegalArgumentException when the body is not a well-formed tracker reply; the
     *     message says what is wrong
     */
    public static AnnounceResponse parse(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException(
                    "tracker reply of " + body.length + " bytes exceeds " + MAX_BODY_BYTES);
        }
        BValue root;
        try {
            root = BencodeDecoder.decode(body, LIMITS);
        } catch (BencodeException e) {
            throw new IllegalArgumentException("tracker reply is not bencode: " + e.getMessage(), e);
        }
        if (!(root instanceof BDictionary d)) {
            throw new IllegalArgumentException("tracker reply is not a dictionary");
        }
        try {
            String failure = d.getString("failure reason");
            if (failure != null) {
                return failure(failure);
            }
            Long interval = d.getLong("interval");
            if (interval == null) {
                throw new IllegalArgumentException("tracker reply has no 'interval'");
            }
            List<PeerAddress> peers = new ArrayList<>();
            BValue v4 = d.get("peers");
            if (v4 instanceof BString s) {
                peers.addAll(CompactPeers.decodeIpv4(s.bytes()));
            } else if (v4 instanceof BList list) {
                peers.addAll(dictionaryPeers(list));
            } else if (v4 != null) {
                throw new IllegalArgumentException("'peers' must be a string or a list");
            }
            byte[] v6 = d.getBytes("peers6");
            if (v6 != null) {
                peers.addAll(CompactPeers.decodeIpv6(v6));
            }
            return new AnnounceResponse(null, d.getString("warning message"), clamp(interval),
                    optional(d, "min interval"), optional(d, "complete"),
                    optional(d, "incomplete"), peers);
        } catch (BencodeException e) {
            throw new IllegalArgumentException("bad tracker reply: " + e.getMessage(), e);
        }
    }

    /** BEP 3's original peer list: dictionaries with {@code ip} and {@code port}. */
    private static List<PeerAddress> dictionaryPeers(BList list) {
        List<PeerAddress> peers = new ArrayList<>(list.size());
        for (BValue item : list.items()) {
            if (!(item instanceof BDictionary p)) {
                throw new IllegalArgumentException("'peers' list holds a non-dictionary");
            }
            String ip = p.getString("ip");
            Long port = p.getLong("port");
            if (ip == null || port == null) {
                throw new IllegalArgumentException("peer entry without 'ip' or 'port'");
            }
            if (port < 1 || port > 65535 || ip.isEmpty() || ip.length() > 255) {
                continue; // unusable entry; the rest of the list may still be fine
            }
            peers.add(new PeerAddress(ip, port.intValue()));
        }
        return peers;
    }

    private static int optional(BDictionary d, String key) {
        Long v = d.getLong(key);
        return v == null ? -1 : clamp(v);
    }

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
    }

    /**
     * Encodes this reply as a tracker sends it, peers in the compact BEP 23 form. Only IPv4 peers
     * can be encoded this way; an IPv6 peer is an {@link IllegalArgumentException}.
     */
    public byte[] encode() {
        BDictionary.Builder b = BDictionary.builder();
        if (failureReason != null) {
            b.put("failure reason", failureReason);
        } else {
            b.put("interval", interval);
            b.put("peers", CompactPeers.encodeIpv4(peers));
        }
        return BencodeEncoder.encode(b.build());
    }

    public boolean isFailure() {
        return failureReason != null;
    }

    /** The tracker's {@code failure reason}, or null for a successful reply. */
    public String failureReason() {
        return failureReason;
    }

    /** BEP 3 {@code warning message}, or null. */
    public String warningMessage() {
        return warningMessage;
    }

    /** Seconds the client should wait before the next regular announce. */
    public int interval() {
        return interval;
    }

    /** {@code min interval} in seconds, or -1 when the tracker did not say. */
    public int minInterval() {
        return minInterval;
    }

    /** Seeders in the swarm ({@code complete}), or -1 when not reported. */
    public int complete() {
        return complete;
    }

    /** Leechers in the swarm ({@code incomplete}), or -1 when not reported. */
    public int incomplete() {
        return incomplete;
    }

    /** Peers to connect to, IPv4 first; unmodifiable. */
    public List<PeerAddress> peers() {
        return peers;
    }
}
