package io.swarmcdn.origin.tracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A socket's pending offers: each answered once, only by the exact offer (swarm, offering peer,
 * offer id), before it expires; bounded, the oldest forgotten first.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PendingOffersTest {

  private static final InfoHash SWARM = infoHash('a');
  private static final PeerId ALICE = peer('a');
  private static final long LATER = 1_000;

  private static InfoHash infoHash(char fill) {
    return InfoHash.fromBinaryString(String.valueOf(fill).repeat(20));
  }

  private static PeerId peer(char fill) {
    return PeerId.fromBinaryString(String.valueOf(fill).repeat(20));
  }

  /** Offer ids built at run time, as parsed ones are: equal, never the same String. */
  private static String id(int n) {
    return new StringBuilder("offer-").append(n).append("-".repeat(10)).toString();
  }

  @Test
  void anOfferIsTakenOnceAndOnlyByItsExactSwarmOffererAndId() {
    PendingOffers offers = new PendingOffers(100);
    offers.add(SWARM, ALICE, id(1), LATER);
    assertThat(offers.take(infoHash('b'), ALICE, id(1), 0)).isFalse();
    assertThat(offers.take(SWARM, peer('b'), id(1), 0)).isFalse();
    assertThat(offers.take(SWARM, ALICE, id(2), 0)).isFalse();
    assertThat(offers.take(SWARM, ALICE, id(1), 0)).isTrue();
    assertThat(offers.take(SWARM, ALICE, id(1), 0)).isFalse();
    assertThat(offers.size()).isZero();
  }

  @Test
  void beyondTheBoundTheOldestOfferIsForgotten() {
    PendingOffers offers = new PendingOffers(20);
    for (int n = 0; n < 25; n++) {
      offers.add(SWARM, ALICE, id(n), LATER);
    }
    assertThat(offers.size()).isEqualTo(20);
    for (int n = 0; n < 5; n++) {
      assertThat(offers.take(SWARM, ALICE, id(n), 0)).as("offer %d", n).isFalse();
    }
    for (int n = 24; n >= 5; n--) { // newest first: every removal from the middle
      assertThat(offers.take(SWARM, ALICE, id(n), 0)).as("offer %d", n).isTrue();
    }
    assertThat(offers.size()).isZero();
  }

  @Test
  void answeringFromTheMiddleKeepsTheOrderOfTheRest() {
    PendingOffers offers = new PendingOffers(3);
    offers.add(SWARM, ALICE, id(1), LATER);
    offers.add(SWARM, ALICE, id(2), LATER);
    offers.add(SWARM, ALICE, id(3), LATER);
    assertThat(offers.take(SWARM, ALICE, id(2), 0)).isTrue();
    offers.add(SWARM, ALICE, id(4), LATER); // room again: nothing forgotten
    offers.add(SWARM, ALICE, id(5), LATER); // full: the oldest (1) goes
    assertThat(offers.take(SWARM, ALICE, id(1), 0)).isFalse();
    assertThat(offers.take(SWARM, ALICE, id(3), 0)).isTrue();
    assertThat(offers.take(SWARM, ALICE, id(4), 0)).isTrue();
    assertThat(offers.take(SWARM, ALICE, id(5), 0)).isTrue();
  }

  @Test
  void anExpiredOfferIsNotTakenAndExpiryDropsOnlyExpiredOffers() {
    PendingOffers offers = new PendingOffers(100);
    offers.add(SWARM, ALICE, id(1), 10);
    offers.add(SWARM, ALICE, id(2), 20);
    offers.add(SWARM, ALICE, id(3), 30);
    assertThat(offers.take(SWARM, ALICE, id(1), 10)).isFalse(); // expires at 10: gone at 10
    offers.expire(20);
    assertThat(offers.size()).isEqualTo(1);
    assertThat(offers.take(SWARM, ALICE, id(3), 29)).isTrue();
  }

  @Test
  void theSameOfferForwardedAgainIsOnePendingOfferWithTheNewExpiry() {
    PendingOffers offers = new PendingOffers(100);
    offers.add(SWARM, ALICE, id(1), 10);
    offers.add(SWARM, ALICE, id(1), 50);
    assertThat(offers.size()).isEqualTo(1);
    assertThat(offers.take(SWARM, ALICE, id(1), 40)).isTrue();
    assertThat(offers.take(SWARM, ALICE, id(1), 40)).isFalse();
  }

  @Test
  void clearingForgetsEverythingAndTheOffersCanGrowAgain() {
    PendingOffers offers = new PendingOffers(100);
    for (int n = 0; n < 50; n++) {
      offers.add(SWARM, ALICE, id(n), LATER);
    }
    offers.clear();
    assertThat(offers.take(SWARM, ALICE, id(1), 0)).isFalse();
    for (int n = 0; n < 100; n++) {
      offers.add(SWARM, ALICE, id(n), LATER);
    }
    assertThat(offers.size()).isEqualTo(100);
    assertThat(offers.take(SWARM, ALICE, id(0), 0)).isTrue();
  }
}
