package io.swarmcdn.torrent.bencode;

import java.util.List;

/** A bencoded list (immutable). */
public final class BList implements BValue {
  private final List<BValue> items;

  private BList(List<BValue> items) {
    this.items = items;
  }

  public static BList of(BValue... items) {
    return new BList(List.of(items));
  }

  public static BList of(List<? extends BValue> items) {
    return new BList(List.copyOf(items));
  }

  /** The items, unmodifiable. */
  public List<BValue> items() {
    return items;
  }

  public int size() {
    return items.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BList l && l.items.equals(items);
  }

  @Override
  public int hashCode() {
    return items.hashCode();
  }

  @Override
  public String toString() {
    return items.toString();
  }
}
