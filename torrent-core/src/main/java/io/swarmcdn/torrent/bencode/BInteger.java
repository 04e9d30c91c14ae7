package io.swarmcdn.torrent.bencode;

/** A bencoded integer. BEP 3 sets no bound; we support the signed 64-bit range. */
public final class BInteger implements BValue {
  private final long value;

  private BInteger(long value) {
    this.value = value;
  }

  public static BInteger of(long value) {
    return new BInteger(value);
  }

  public long value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BInteger i && i.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
