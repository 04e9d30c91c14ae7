package io.swarmcdn.origin.tracker.http;

import java.net.InetAddress;

/**
 * A peer's address in compact form: 4 address bytes + 2 port bytes for IPv4 (BEP 23), 16 + 2 for
 * IPv6 (BEP 7), big-endian, ready to be concatenated into {@code peers} / {@code peers6}.
 */
final class CompactPeer {

  private final byte[] compact;

  private CompactPeer(byte[] compact) {
    this.compact = compact;
  }

  static CompactPeer of(InetAddress address, int port) {
    byte[] ip = ipv4Unmapped(address.getAddress());
    byte[] compact = new byte[ip.length + 2];
    System.arraycopy(ip, 0, compact, 0, ip.length);
    compact[ip.length] = (byte) (port >>> 8);
    compact[ip.length + 1] = (byte) port;
    return new CompactPeer(compact);
  }

  /**
   * An IPv4 client on a dual-stack socket shows up as {@code ::ffff:a.b.c.d}; it is an IPv4 peer
   * and belongs in {@code peers}, where IPv4-only clients can use it.
   */
  private static byte[] ipv4Unmapped(byte[] ip) {
    if (ip.length != 16) {
      return ip;
    }
    for (int i = 0; i < 10; i++) {
      if (ip[i] != 0) {
        return ip;
      }
    }
    if (ip[10] != (byte) 0xff || ip[11] != (byte) 0xff) {
      return ip;
    }
    return new byte[] {ip[12], ip[13], ip[14], ip[15]};
  }

  boolean isIpv6() {
    return compact.length == 18;
  }

  /** Writes the 6 or 18 compact bytes at {@code offset}. */
  void copyTo(byte[] target, int offset) {
    System.arraycopy(compact, 0, target, offset, compact.length);
  }

  int length() {
    return compact.length;
  }
}
