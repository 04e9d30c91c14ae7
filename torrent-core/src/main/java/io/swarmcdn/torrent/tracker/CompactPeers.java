package io.swarmcdn.torrent.tracker;

import java.util.ArrayList;
import java.util.List;

/**
 * The compact peer lists of tracker replies: BEP 23 {@code peers} (4-byte IPv4 address and 2-byte
 * port, big-endian, per peer) and BEP 7 {@code peers6} (16-byte IPv6 address and 2-byte port).
 */
final class CompactPeers {

    private CompactPeers() {}

    /** Decodes a BEP 23 string; a length that is not a multiple of 6 is malformed. */
    static List<PeerAddress> decodeIpv4(byte[] packed) {
        return decode(packed, 4);
    }

    /** Decodes a BEP 7 {@code peers6} string; the length must be a multiple of 18. */
    static List<PeerAddress> decodeIpv6(byte[] packed) {
        return decode(packed, 16);
    }

    /** Encodes IPv4 peers as BEP 23 wants them (the inverse of {@link #decodeIpv4}). */
    static byte[] encodeIpv4(List<PeerAddress> peers) {
        byte[] out = new byte[peers.size() * 6];
        int at = 0;
        for (PeerAddress p : peers) {
            String[] parts = p.host().split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: " + p.host());
            }
            for (String part : parts) {
                int v = parseOctet(part, p.host());
                out[at++] = (byte) v;
            }
            out[at++] = (byte) (p.port() >>> 8);
            out[at++] = (byte) p.port();
        }
        return out;
    }

    private static int parseOctet(String part, String host) {
        if (part.isEmpty() || part.length() > 3) {
            throw new IllegalArgumentException("not an IPv4 address: " + host);
        }
        int v = 0;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not an IPv4 address: " + host);
            }
            v = v * 10 + (c - '0');
        }
        if (v > 255) {
            throw new IllegalArgumentException("not an IPv4 address: " + host);
        }
        return v;
    }

    private static List<PeerAddress> decode(byte[] packed, int addressLength) {
        int entry = addressLength + 2;
        if (packed.length % entry != 0) {
            throw new IllegalArgumentException(
                    "compact peer list of " + packed.length + " bytes is not a multiple of " + entry);
        }
        List<PeerAddress> peers = new ArrayList<>(packed.length / entry);
        for (int at = 0; at < packed.length; at += entry) {
            int port = ((packed[at + addressLength] & 0xff) << 8) | (packed[at + addressLength + 1] & 0xff);
            if (port == 0) {
                // Port 0 cannot be connected to; trackers send it for firewalled peers. Skip.
                continue;
            }
            String host = addressLength == 4 ? ipv4(packed, at) : ipv6(packed, at);
            peers.add(new PeerAddress(host, port));
        }
        return peers;
    }

    private static String ipv4(byte[] b, int at) {
        return (b[at] & 0xff) + "." + (b[at + 1] & 0xff) + "." + (b[at + 2] & 0xff) + "." + (b[at + 3] & 0xff);
    }

    /** Full, uncompressed IPv6 text form (valid for every parser, no "::" shortening needed). */
    private static String ipv6(byte[] b, int at) {
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(((b[at + i] & 0xff) << 8) | (b[at + i + 1] & 0xff)));
        }
        return sb.toString();
    }
}
