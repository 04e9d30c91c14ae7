package io.swarmcdn.origin.tracker.websocket;

import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.Arrays;

/**
 * The offers forwarded to one socket that it may still answer, each once and before it expires:
 * at most {@code max}, the oldest forgotten first. Not thread-safe (its {@link TrackerSocket}
 * guards it).
 *
 * <p>Kept in forwarding order in a few arrays, found by a scan of the offer ids' hashes: a
 * socket holds a handful (the offers of one round of its swarm's announces) and never more than
 * {@code max}. A linked hash map of records did the same with a record, a boxed expiry and an
 * entry allocated per relayed offer, and its lookups, on objects scattered over the heap and
 * written from other event loops, were a tenth of the tracker's samples under load (JFR).
 */
final class PendingOffers {

  private static final int FIRST_CAPACITY = 8;
  /** Per offer, in {@link #keys}: the swarm, the offering peer, the offer id. */
  private static final int STRIDE = 3;

  private final int max;
  /** Null until the first offer: an idle peer holds no arrays. */
  private Object[] keys;

  private int[] hashes;
  private long[] expiries;
  private int size;

  PendingOffers(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive");
    }
    this.max = max;
  }

  int size() {
    return size;
  }

  /**
   * Remembers an offer until {@code expiresAtNanos}; forwarded again, it keeps its place and gets
   * the new expiry. Beyond {@code max}, the oldest offer is forgotten.
   */
  void add(InfoHash infoHash, PeerId offerer, String offerId, long expiresAtNanos) {
    int hash = offerId.hashCode();
    int index = indexOf(infoHash, offerer, offerId, hash);
    if (index >= 0) {
      expiries[index] = expiresAtNanos;
      return;
    }
    if (size == max) {
      removeFirst(1);
    } else if (keys == null || size == hashes.length) {
      grow();
    }
    keys[size * STRIDE] = infoHash;
    keys[size * STRIDE + 1] = offerer;
    keys[size * STRIDE + 2] = offerId;
    hashes[size] = hash;
    expiries[size] = expiresAtNanos;
    size++;
  }

  /** Consumes an offer; false if it was never forwarded here, already answered, or expired. */
  boolean take(InfoHash infoHash, PeerId offerer, String offerId, long nowNanos) {
    int index = indexOf(infoHash, offerer, offerId, offerId.hashCode());
    if (index < 0) {
      return false;
    }
    boolean live = expiries[index] - nowNanos > 0;
    remove(index);
    return live;
  }

  /** Forgets the expired offers at the head (all share one lifetime, so they come first). */
  void expire(long nowNanos) {
    int expired = 0;
    while (expired < size && expiries[expired] - nowNanos <= 0) {
      expired++;
    }
    removeFirst(expired);
  }

  void clear() {
    keys = null;
    hashes = null;
    expiries = null;
    size = 0;
  }

  private int indexOf(InfoHash infoHash, PeerId offerer, String offerId, int hash) {
    for (int i = 0; i < size; i++) {
      if (hashes[i] == hash
          && offerId.equals(keys[i * STRIDE + 2])
          && offerer.equals(keys[i * STRIDE + 1])
          && infoHash.equals(keys[i * STRIDE])) {
        return i;
      }
    }
    return -1;
  }

  private void grow() {
    int capacity = keys == null ? Math.min(FIRST_CAPACITY, max) : Math.min(max, 2 * size);
    keys = keys == null ? new Object[capacity * STRIDE] : Arrays.copyOf(keys, capacity * STRIDE);
    hashes = hashes == null ? new int[capacity] : Arrays.copyOf(hashes, capacity);
    expiries = expiries == null ? new long[capacity] : Arrays.copyOf(expiries, capacity);
  }

  private void remove(int index) {
    int after = size - index - 1;
    System.arraycopy(keys, (index + 1) * STRIDE, keys, index * STRIDE, after * STRIDE);
    System.arraycopy(hashes, index + 1, hashes, index, after);
    System.arraycopy(expiries, index + 1, expiries, index, after);
    size--;
    keys[size * STRIDE] = null;
    keys[size * STRIDE + 1] = null;
    keys[size * STRIDE + 2] = null;
  }

  private void removeFirst(int count) {
    if (count == 0) {
      return;
    }
    int rest = size - count;
    System.arraycopy(keys, count * STRIDE, keys, 0, rest * STRIDE);
    System.arraycopy(hashes, count, hashes, 0, rest);
    System.arraycopy(expiries, count, expiries, 0, rest);
    Arrays.fill(keys, rest * STRIDE, size * STRIDE, null);
    size = rest;
  }
}
