package io.swarmcdn.torrent.metainfo;

/**
 * SHA-1 (FIPS 180-4) in plain Java, for the info-hash only: torrent-core must compile with TeaVM,
 * which has no MessageDigest. Bulk piece hashing goes through the faster {@code create.Sha1}
 * implementations instead.
 */
final class Sha1Portable {
  private Sha1Portable() {}

  static byte[] digest(byte[] data, int offset, int length) {
    int[] h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    int[] w = new int[80];
    int end = offset + length;
    int p = offset;
    for (; p + 64 <= end; p += 64) {
      block(h, w, data, p);
    }
    // Padding: 0x80, zeros, then the message length in bits as a big-endian 64-bit integer.
    int rest = end - p;
    byte[] tail = new byte[rest + 9 <= 64 ? 64 : 128];
    System.arraycopy(data, p, tail, 0, rest);
    tail[rest] = (byte) 0x80;
    long bits = (long) length * 8;
    for (int i = 0; i < 8; i++) {
      tail[tail.length - 1 - i] = (byte) (bits >>> (8 * i));
    }
    for (int q = 0; q < tail.length; q += 64) {
      block(h, w, tail, q);
    }
    byte[] out = new byte[20];
    for (int i = 0; i < 5; i++) {
      out[4 * i] = (byte) (h[i] >>> 24);
      out[4 * i + 1] = (byte) (h[i] >>> 16);
      out[4 * i + 2] = (byte) (h[i] >>> 8);
      out[4 * i + 3] = (byte) h[i];
    }
    return out;
  }

  private static void block(int[] h, int[] w, byte[] b, int p) {
    for (int i = 0; i < 16; i++) {
      int q = p + 4 * i;
      w[i] = (b[q] & 0xff) << 24 | (b[q + 1] & 0xff) << 16 | (b[q + 2] & 0xff) << 8 | (b[q + 3] & 0xff);
    }
    for (int i = 16; i < 80; i++) {
      w[i] = Integer.rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    }
    int a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
      int f;
      int k;
      if (i < 20) {
        f = (bb & c) | (~bb & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = bb ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (bb & c) | (bb & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = bb ^ c ^ d;
        k = 0xCA62C1D6;
      }
      int t = Integer.rotateLeft(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = Integer.rotateLeft(bb, 30);
      bb = a;
      a = t;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
}
