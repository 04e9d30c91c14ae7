package io.swarmcdn.torrent.magnet;

import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A BitTorrent magnet URI (BEP 9): {@code magnet:?xt=urn:btih:<info-hash>} with optional {@code dn}
 * (display name), {@code tr} (trackers), {@code ws} (BEP 19 web seeds, as WebTorrent writes them),
 * {@code xs} (exact source, e.g. the .torrent URL) and {@code xl} (exact length).
 *
 * <p>Parsing accepts the info-hash as 40 hex digits or 32 base32 characters (either case),
 * repeated parameters with or without a {@code .N} suffix ({@code tr.1=...}), and {@code +} as a
 * space; it ignores unknown parameters and other {@code xt} namespaces (e.g. v2 {@code btmh}), and
 * rejects malformed percent-escapes, a missing or conflicting btih, and a bad {@code xl}, with an
 * {@link IllegalArgumentException} saying which.
 */
public final class MagnetUri {
  private static final String PREFIX = "magnet:?";
  private static final String BTIH = "urn:btih:";
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final InfoHash infoHash;
  private final String displayName;
  private final List<String> trackers;
  private final List<String> webSeeds;
  private final String exactSource;
  private final Long exactLength;

  private MagnetUri(Builder b) {
    if (b.infoHash == null) {
      throw new IllegalArgumentException("a magnet URI needs an info-hash");
    }
    this.infoHash = b.infoHash;
    this.displayName = b.displayName;
    this.trackers = List.copyOf(b.trackers);
    this.webSeeds = List.copyOf(b.webSeeds);
    this.exactSource = b.exactSource;
    this.exactLength = b.exactLength;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The magnet of a torrent: info-hash, name, trackers, web seeds and total length. */
  public static MagnetUri of(Metainfo m) {
    Builder b = builder().infoHash(m.infoHash()).displayName(m.info().name())
        .exactLength(m.info().totalLength());
    m.trackers().forEach(b::tracker);
    m.webSeeds().forEach(b::webSeed);
    return b.build();
  }

  /** Parses a magnet URI; see the class comment for what is accepted. */
  public static MagnetUri parse(String uri) {
    if (!uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new IllegalArgumentException("not a magnet URI (must start with 'magnet:?')");
    }
    Builder b = builder();
    for (String param : uri.substring(PREFIX.length()).split("&", -1)) {
      if (param.isEmpty()) {
        continue;
      }
      int eq = param.indexOf('=');
      String key = eq < 0 ? param : param.substring(0, eq);
      String value = decode(eq < 0 ? "" : param.substring(eq + 1), key);
      switch (baseKey(key)) {
        case "xt":
          if (value.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
            InfoHash h = parseBtih(value.substring(BTIH.length()));
            if (b.infoHash != null && !b.infoHash.equals(h)) {
              throw new IllegalArgumentException("magnet URI has two different btih info-hashes");
            }
            b.infoHash = h;
          }
          break;
        case "dn":
          b.displayName(value);
          break;
        case "tr":
          b.tracker(value);
          break;
        case "ws":
          b.webSeed(value);
          break;
        case "xs":
          b.exactSource(value);
          break;
        case "xl":
          b.exactLength(parseLength(value));
          break;
        default:
          break; // BEP 9: unknown parameters are ignored
      }
    }
    if (b.infoHash == null) {
      throw new IllegalArgumentException("magnet URI has no 'xt=urn:btih:' info-hash");
    }
    return b.build();
  }

  public InfoHash infoHash() {
    return infoHash;
  }

  /** {@code dn}, or null. */
  public String displayName() {
    return displayName;
  }

  /** {@code tr} values in order. */
  public List<String> trackers() {
    return trackers;
  }

  /** {@code ws} values in order. */
  public List<String> webSeeds() {
    return webSeeds;
  }

  /** {@code xs}, or null. */
  public String exactSource() {
    return exactSource;
  }

  /** {@code xl}, or null. */
  public Long exactLength() {
    return exactLength;
  }

  /** The URI, every value percent-encoded (all but RFC 3986 unreserved characters, as UTF-8). */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(PREFIX).append("xt=").append(BTIH).append(infoHash.hex());
    if (displayName != null) {
      s.append("&dn=").append(encode(displayName));
    }
    if (exactLength != null) {
      s.append("&xl=").append(exactLength);
    }
    for (String t : trackers) {
      s.append("&tr=").append(encode(t));
    }
    for (String w : webSeeds) {
      s.append("&ws=").append(encode(w));
    }
    if (exactSource != null) {
      s.append("&xs=").append(encode(exactSource));
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MagnetUri m && m.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** "tr.1" -> "tr": the magnet convention for numbering repeated parameters. */
  private static String baseKey(String key) {
    int dot = key.indexOf('.');
    if (dot > 0 && dot < key.length() - 1) {
      for (int i = dot + 1; i < key.length(); i++) {
        if (key.charAt(i) < '0' || key.charAt(i) > '9') {
          return key;
        }
      }
      return key.substring(0, dot);
    }
    return key;
  }

  private static InfoHash parseBtih(String s) {
    if (s.length() == 40) {
      return InfoHash.fromHex(s);
    }
    if (s.length() == 32) {
      return InfoHash.of(base32(s));
    }
    throw new IllegalArgumentException(
        "btih info-hash must be 40 hex or 32 base32 characters, not " + s.length());
  }

  private static byte[] base32(String s) {
    byte[] out = new byte[20];
    long buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      int v = BASE32.indexOf(Character.toUpperCase(s.charAt(i)));
      if (v < 0) {
        throw new IllegalArgumentException("invalid base32 character '" + s.charAt(i) + "' in btih");
      }
      buffer = buffer << 5 | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (byte) (buffer >> bits);
      }
    }
    return out;
  }

  private static long parseLength(String value) {
    try {
      long l = Long.parseLong(value);
      if (l >= 0 && !value.startsWith("+")) {
        return l;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'xl' must be a non-negative byte count, not '" + value + "'");
  }

  /** Percent-decoding (UTF-8) with '+' as a space, as libtorrent and browsers' forms do. */
  private static String decode(String s, String key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("malformed percent-escape in '" + key + "' at index " + i);
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** Builds a magnet URI; only the info-hash is required. */
  public static final class Builder {
    private InfoHash infoHash;
    private String displayName;
    private final List<String> trackers = new ArrayList<>();
    private final List<String> webSeeds = new ArrayList<>();
    private String exactSource;
    private Long exactLength;

    private Builder() {}

    public Builder infoHash(InfoHash infoHash) {
      this.infoHash = infoHash;
      return this;
    }

    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    public Builder tracker(String url) {
      trackers.add(url);
      return this;
    }

    public Builder webSeed(String url) {
      webSeeds.add(url);
      return this;
    }

    public Builder exactSource(String url) {
      this.exactSource = url;
      return this;
    }

    public Builder exactLength(long length) {
      if (length < 0) {
        throw new IllegalArgumentException("negative length " + length);
      }
      this.exactLength = length;
      return this;
    }

    public MagnetUri build() {
      return new MagnetUri(this);
    }
  }
}
