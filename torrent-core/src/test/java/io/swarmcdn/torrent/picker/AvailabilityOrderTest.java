package io.swarmcdn.torrent.picker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AvailabilityOrderTest {

    /** Random updates, checked against a brute-force scan after every step. */
    @Test
    void rarestMatchesABruteForceScanUnderRandomUpdates() {
        int n = 64;
        Random rnd = new Random(7);
        AvailabilityOrder order = new AvailabilityOrder(n);
        int[] avail = new int[n];
        boolean[] removed = new boolean[n];
        TestPeer peer = new TestPeer(0, n);
        for (int i = 0; i < n; i++) {
            if (rnd.nextBoolean()) {
                peer.pieces().set(i);
            }
        }
        for (int step = 0; step < 20_000; step++) {
            int piece = rnd.nextInt(n);
            int op = rnd.nextInt(100);
            if (op < 50) {
                order.increment(piece);
                avail[piece]++;
            } else if (op < 98) {
                if (avail[piece] > 0) {
                    order.decrement(piece);
                    avail[piece]--;
                }
            } else if (!removed[piece]) {
                order.remove(piece);
                removed[piece] = true;
            }
            int best = Integer.MAX_VALUE;
            int remaining = 0;
            for (int i = 0; i < n; i++) {
                assertThat(order.availability(i)).isEqualTo(avail[i]);
                assertThat(order.contains(i)).isEqualTo(!removed[i]);
                if (!removed[i]) {
                    remaining++;
                    if (avail[i] > 0 && peer.canRequest(i)) {
                        best = Math.min(best, avail[i]);
                    }
                }
            }
            assertThat(order.size()).isEqualTo(remaining);
            int got = order.rarest(peer, rnd);
            if (best == Integer.MAX_VALUE) {
                assertThat(got).isEqualTo(-1);
            } else {
                assertThat(got).isNotNegative();
                assertThat(removed[got]).isFalse();
                assertThat(peer.canRequest(got)).isTrue();
                assertThat(avail[got]).isEqualTo(best);
            }
        }
    }
}
