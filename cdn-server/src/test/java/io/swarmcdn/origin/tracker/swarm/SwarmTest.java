package io.swarmcdn.origin.tracker.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class SwarmTest {

  private static PeerId id() {
    byte[] bytes = new byte[20];
    ThreadLocalRandom.current().nextBytes(bytes);
    return PeerId.of(bytes);
  }

  @Test
  void samplesAreDistinctAndNeverTheExcludedPeer() {
    Swarm<String> swarm = new Swarm<>(1000);
    PeerId self = id();
    swarm.announce(self, "self", false, false, 0);
    for (int i = 0; i < 300; i++) {
      swarm.announce(id(), "peer" + i, false, false, 0);
    }
    for (int count : new int[] {1, 5, 50, 200, 400}) {
      for (int round = 0; round < 20; round++) {
        List<String> sample = swarm.sample(count, self);
        assertThat(sample).doesNotContain("self").doesNotHaveDuplicates();
        assertThat(sample).hasSize(Math.min(count, 300));
      }
    }
  }

  @Test
  void samplingCoversTheWholeSwarm() {
    Swarm<Integer> swarm = new Swarm<>(1000);
    for (int i = 0; i < 100; i++) {
      swarm.announce(id(), i, false, false, 0);
    }
    Set<Integer> seen = new HashSet<>();
    for (int round = 0; round < 500; round++) {
      seen.addAll(swarm.sample(3, null));
    }
    assertThat(seen).hasSize(100);
  }

  @Test
  void countsFollowAnnouncesCompletionAndRemoval() {
    Swarm<String> swarm = new Swarm<>(10);
    PeerId leecher = id();
    swarm.announce(id(), "seeder", true, false, 0);
    swarm.announce(leecher, "leecher", false, false, 0);
    assertThat(swarm.counts()).isEqualTo(new SwarmCounts(1, 1, 0));
    swarm.announce(leecher, "leecher", true, true, 1);
    assertThat(swarm.counts()).isEqualTo(new SwarmCounts(2, 0, 1));
    swarm.announce(leecher, "leecher", true, true, 2); // a repeated `completed` counts once
    assertThat(swarm.counts()).isEqualTo(new SwarmCounts(2, 0, 1));
    swarm.remove(leecher);
    assertThat(swarm.counts()).isEqualTo(new SwarmCounts(1, 0, 1));
  }

  @Test
  void aFullSwarmEvictsTheLeastRecentlyAnnouncedPeer() {
    Swarm<String> swarm = new Swarm<>(3);
    PeerId a = id();
    PeerId b = id();
    swarm.announce(a, "a", false, false, 0);
    swarm.announce(b, "b", false, false, 1);
    swarm.announce(id(), "c", false, false, 2);
    swarm.announce(a, "a", false, false, 3); // a is fresh again, b is now the oldest
    assertThat(swarm.announce(id(), "d", false, false, 4)).isEqualTo("b");
    assertThat(swarm.get(b)).isNull();
    assertThat(swarm.get(a)).isEqualTo("a");
  }

  @Test
  void expiryDropsOnlyPeersSilentSinceTheCutoff() {
    Swarm<String> swarm = new Swarm<>(10);
    PeerId old = id();
    swarm.announce(old, "old", true, false, 100);
    swarm.announce(id(), "recent", false, false, 200);
    assertThat(swarm.expire(150)).containsExactly("old");
    assertThat(swarm.get(old)).isNull();
    assertThat(swarm.counts()).isEqualTo(new SwarmCounts(0, 1, 0));
  }

  @Test
  void aPeerTakenOverByAnotherSocketIsNotRemovedByTheOldOne() {
    Swarm<String> swarm = new Swarm<>(10);
    PeerId peer = id();
    swarm.announce(peer, "old socket", false, false, 0);
    swarm.announce(peer, "new socket", false, false, 1);
    assertThat(swarm.remove(peer, "old socket")).isFalse();
    assertThat(swarm.get(peer)).isEqualTo("new socket");
    assertThat(swarm.remove(peer, "new socket")).isTrue();
    assertThat(swarm.isEmpty()).isTrue();
  }
}
