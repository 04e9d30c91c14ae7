package io.swarmcdn.origin.tracker.swarm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The peers of one torrent on one transport, bounded: when full, the peer that announced least
 * recently is evicted (LRU), as the WebTorrent reference tracker does.
 *
 * <p>Peers are kept in last-announce order, so expiry ({@link #expire}) and eviction look only at
 * the head. An array of the same peers allows a uniform random sample in O(numwant).
 *
 * <p>Thread-safe: every method is {@code synchronized} and short (O(1) or O(numwant)), and only
 * {@link Swarms} creates swarms.
 *
 * @param <P> what a transport needs to reach a peer (an address, a socket)
 */
public final class Swarm<P> {

  private final int maxPeers;
  private final LinkedHashMap<PeerId, Member<P>> byId = new LinkedHashMap<>();
  private final ArrayList<Member<P>> byIndex = new ArrayList<>();
  private int seeders;
  private long downloaded;

  Swarm(int maxPeers) {
    if (maxPeers < 1) {
      throw new IllegalArgumentException("maxPeers must be positive");
    }
    this.maxPeers = maxPeers;
  }

  /**
   * Adds or refreshes a peer.
   *
   * @param seeder whether the peer has the whole torrent ({@code left == 0})
   * @param completed whether this announce carries the {@code completed} event; counted in
   *     {@code downloaded} once per peer that was not already a seeder (BEP 48)
   * @return the peer evicted to make room (the least recently announced one), or null
   */
  synchronized P announce(PeerId id, P peer, boolean seeder, boolean completed, long nowNanos) {
    Member<P> member = byId.remove(id);
    P evicted = null;
    if (member == null) {
      if (byId.size() >= maxPeers) {
        Member<P> oldest = byId.values().iterator().next();
        removeMember(oldest);
        evicted = oldest.peer;
      }
      member = new Member<>(id, peer);
      member.index = byIndex.size();
      byIndex.add(member);
    } else {
      member.peer = peer;
      if (member.seeder) {
        seeders--;
      }
    }
    if (completed && !member.seeder) {
      downloaded++;
    }
    member.seeder = seeder;
    if (seeder) {
      seeders++;
    }
    member.lastSeenNanos = nowNanos;
    byId.put(id, member); // re-insert: the map is in last-announce order
    return evicted;
  }

  /** Removes the peer (event {@code stopped}), if it is here. */
  synchronized void remove(PeerId id) {
    Member<P> member = byId.get(id);
    if (member != null) {
      removeMember(member);
    }
  }

  /**
   * Removes the peer only if it is still reached through {@code peer}: a client that reconnected
   * on a new socket has taken its id over, and closing the old socket must not remove it.
   */
  synchronized boolean remove(PeerId id, P peer) {
    Member<P> member = byId.get(id);
    if (member == null || !member.peer.equals(peer)) {
      return false;
    }
    removeMember(member);
    return true;
  }

  /** The peer with that id, or null; does not count as an announce. */
  synchronized P get(PeerId id) {
    Member<P> member = byId.get(id);
    return member == null ? null : member.peer;
  }

  /**
   * Up to {@code count} distinct peers chosen uniformly at random, never {@code exclude}.
   */
  synchronized List<P> sample(int count, PeerId exclude) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int size = byIndex.size();
    int wanted = Math.min(count, size);
    if (wanted <= 0) {
      return List.of();
    }
    List<P> result = new ArrayList<>(wanted);
    if (2 * wanted >= size) {
      // Dense: shuffle the whole (small) index range.
      List<Member<P>> all = new ArrayList<>(byIndex);
      Collections.shuffle(all, random);
      for (Member<P> member : all) {
        if (result.size() == wanted) {
          break;
        }
        if (!member.id.equals(exclude)) {
          result.add(member.peer);
        }
      }
      return result;
    }
    // Sparse: rejection sampling of distinct indices, expected O(wanted) draws.
    Set<Integer> seen = new HashSet<>();
    int attempts = 0;
    while (result.size() < wanted && attempts++ < 4 * wanted + 8) {
      int index = random.nextInt(size);
      if (seen.add(index)) {
        Member<P> member = byIndex.get(index);
        if (!member.id.equals(exclude)) {
          result.add(member.peer);
        }
      }
    }
    return result;
  }

  /**
   * Removes the peers whose last announce is older than {@code cutoffNanos} and returns them.
   */
  synchronized List<P> expire(long cutoffNanos) {
    List<P> expired = new ArrayList<>();
    Iterator<Member<P>> oldestFirst = byId.values().iterator();
    while (oldestFirst.hasNext()) {
      Member<P> member = oldestFirst.next();
      if (member.lastSeenNanos - cutoffNanos >= 0) {
        break;
      }
      oldestFirst.remove();
      removeFromIndex(member);
      expired.add(member.peer);
    }
    return expired;
  }

  /** Current counts. */
  public synchronized SwarmCounts counts() {
    return new SwarmCounts(seeders, byId.size() - seeders, downloaded);
  }

  synchronized boolean isEmpty() {
    return byId.isEmpty();
  }

  private void removeMember(Member<P> member) {
    byId.remove(member.id);
    removeFromIndex(member);
  }

  private void removeFromIndex(Member<P> member) {
    if (member.seeder) {
      seeders--;
    }
    // Swap-remove keeps byIndex dense in O(1).
    Member<P> last = byIndex.remove(byIndex.size() - 1);
    if (last != member) {
      last.index = member.index;
      byIndex.set(member.index, last);
    }
  }

  private static final class Member<P> {
    final PeerId id;
    P peer;
    boolean seeder;
    long lastSeenNanos;
    int index;

    Member(PeerId id, P peer) {
      this.id = id;
      this.peer = peer;
    }
  }
}
