package io.swarmcdn.torrent.tracker;

/**
 * Where a peer listens, as a tracker reports it: a literal IPv4 or IPv6 address (or a host name,
 * from a non-compact BEP 3 reply) and a TCP port in 1..65535.
 */
public record PeerAddress(String host, int port) {

    public PeerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("empty peer host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer port out of range: " + port);
        }
    }

    /**
     * Parses {@code HOST:PORT} or {@code [IPV6]:PORT}, as typed on a command line.
     *
     * @throws IllegalArgumentException with a message naming the bad part
     */
    public static PeerAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("IPv6 address must be in brackets: '" + hostPort + "'");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + hostPort + "'");
        }
        return new PeerAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
