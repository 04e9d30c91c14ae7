package io.swarmcdn.torrent.bencode;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bencoded dictionary: byte-string keys kept in raw (unsigned byte) order, as BEP 3 requires.
 *
 * <p>Typed getters ({@link #getString}, {@link #getBytes}, {@link #getLong}, {@link #getList},
 * {@link #getDictionary}) return {@code null} when the key is absent and throw a {@link
 * BencodeException} naming the key when the value has another type. The exception's offset is the
 * value's position in the decoded input, or -1 for a dictionary that was built, not decoded.
 */
public final class BDictionary implements BValue {
  private final SortedMap<BString, BValue> entries;
  /** Source spans of the values, present only for decoded dictionaries. */
  private final Map<BString, ByteSpan> spans;

  BDictionary(SortedMap<BString, BValue> entries, Map<BString, ByteSpan> spans) {
    this.entries = Collections.unmodifiableSortedMap(entries);
    this.spans = spans;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All entries in key order, unmodifiable. */
  public SortedMap<BString, BValue> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  public boolean containsKey(String key) {
    return entries.containsKey(BString.of(key));
  }

  /** The value under {@code key}, or null. */
  public BValue get(String key) {
    return entries.get(BString.of(key));
  }

  /**
   * Where the value under {@code key} was in the decoder's input, or null when the key is absent
   * or this dictionary was built rather than decoded.
   */
  public ByteSpan span(String key) {
    return spans == null ? null : spans.get(BString.of(key));
  }

  /** The UTF-8 text under {@code key}, or null when absent. */
  public String getString(String key) {
    BString s = typed(key, BString.class, "a byte string");
    return s == null ? null : s.asUtf8();
  }

  /** A copy of the raw bytes under {@code key}, or null when absent. */
  public byte[] getBytes(String key) {
    BString s = typed(key, BString.class, "a byte string");
    return s == null ? null : s.bytes();
  }

  /** The integer under {@code key}, or null when absent. */
  public Long getLong(String key) {
    BInteger i = typed(key, BInteger.class, "an integer");
    return i == null ? null : i.value();
  }

  /** The list under {@code key}, or null when absent. */
  public BList getList(String key) {
    return typed(key, BList.class, "a list");
  }

  /** The dictionary under {@code key}, or null when absent. */
  public BDictionary getDictionary(String key) {
    return typed(key, BDictionary.class, "a dictionary");
  }

  private <T extends BValue> T typed(String key, Class<T> type, String expected) {
    BValue v = get(key);
    if (v == null) {
      return null;
    }
    if (!type.isInstance(v)) {
      ByteSpan span = span(key);
      throw new BencodeException(
          "'" + key + "' must be " + expected + ", found " + describe(v),
          span == null ? -1 : span.start());
    }
    return type.cast(v);
  }

  static String describe(BValue v) {
    if (v instanceof BString) {
      return "a byte string";
    } else if (v instanceof BInteger) {
      return "an integer";
    } else if (v instanceof BList) {
      return "a list";
    }
    return "a dictionary";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BDictionary d && d.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }

  /** Builds a dictionary; keys may be added in any order, they are sorted by raw bytes. */
  public static final class Builder {
    private final TreeMap<BString, BValue> entries = new TreeMap<>();

    private Builder() {}

    /**
     * Puts {@code value}, converted: {@link BValue} as is, {@link String} as UTF-8 bytes, {@code
     * byte[]} copied, {@link Long}/{@link Integer} as an integer, a {@link List} item by item, a
     * {@link Map} with String keys entry by entry.
     */
    public Builder put(String key, Object value) {
      entries.put(BString.of(key), convert(value));
      return this;
    }

    public Builder put(BString key, BValue value) {
      entries.put(key, java.util.Objects.requireNonNull(value, "value"));
      return this;
    }

    public BDictionary build() {
      return new BDictionary(new TreeMap<>(entries), null);
    }

    private static BValue convert(Object value) {
      if (value instanceof BValue v) {
        return v;
      } else if (value instanceof String s) {
        return BString.of(s);
      } else if (value instanceof byte[] b) {
        return BString.of(b);
      } else if (value instanceof Long l) {
        return BInteger.of(l);
      } else if (value instanceof Integer i) {
        return BInteger.of(i);
      } else if (value instanceof List<?> list) {
        BValue[] items = new BValue[list.size()];
        for (int i = 0; i < items.length; i++) {
          items[i] = convert(list.get(i));
        }
        return BList.of(items);
      } else if (value instanceof Map<?, ?> map) {
        Builder b = new Builder();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          b.put((String) e.getKey(), e.getValue());
        }
        return b.build();
      }
      throw new IllegalArgumentException(
          "cannot bencode " + (value == null ? "null" : value.getClass().getName()));
    }
  }
}
