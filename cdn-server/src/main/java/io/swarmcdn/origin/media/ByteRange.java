package io.swarmcdn.origin.media;

/**
 * One {@code Range: bytes=...} request (RFC 9110 section 14.1.2): {@code first-last}, {@code
 * first-} or the suffix form {@code -length}. Only a single range is honoured: for several, or
 * for syntax we do not understand, the header is ignored and the whole file is sent, which the
 * RFC allows and every web-seed client handles (WebTorrent and aria2 ask for one range at a
 * time).
 */
record ByteRange(long first, long last, long suffixLength) {
  private static final String UNIT = "bytes=";
  static final long OPEN = -1;

  /** The single range of {@code header}, or null when the header is to be ignored. */
  static ByteRange parse(String header) {
    if (header == null || header.length() > 200
        || !header.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
      return null;
    }
    String spec = header.substring(UNIT.length()).strip();
    int dash = spec.indexOf('-');
    if (dash < 0 || spec.indexOf(',') >= 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      if (a.isEmpty()) {
        return b.isEmpty() ? null : new ByteRange(OPEN, OPEN, digits(b));
      }
      long first = digits(a);
      long last = b.isEmpty() ? OPEN : digits(b);
      return last != OPEN && last < first ? null : new ByteRange(first, last, OPEN);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        throw new NumberFormatException(s);
      }
    }
    return Long.parseLong(s);
  }

  /** The part of a {@code size}-byte file this range selects, or null if it selects nothing (416). */
  Region resolve(long size) {
    if (suffixLength != OPEN) {
      return suffixLength == 0 || size == 0
          ? null : new Region(Math.max(0, size - suffixLength), size - 1);
    }
    if (first >= size) {
      return null;
    }
    return new Region(first, last == OPEN ? size - 1 : Math.min(last, size - 1));
  }

  /** Bytes {@code start..end}, both inclusive. */
  record Region(long start, long end) {
    long length() {
      return end - start + 1;
    }
  }
}
