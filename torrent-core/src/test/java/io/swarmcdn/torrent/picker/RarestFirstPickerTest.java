package io.swarmcdn.torrent.picker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.metainfo.PieceLayout;
import io.swarmcdn.torrent.peerwire.Bitfield;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RarestFirstPickerTest {

    private static final int BLOCK = PiecePicker.BLOCK_SIZE;
    /** 4 blocks per piece; 10 pieces; the last block of the last piece has 100 bytes. */
    private static final int PIECE = 4 * BLOCK;
    private static final int PIECES = 10;
    private static final long LENGTH = 9L * PIECE + 3 * BLOCK + 100;

    private final RarestFirstPicker picker = new RarestFirstPicker(PieceLayout.of(PIECE, LENGTH), 42);

    private void connect(TestPeer peer) {
        picker.peerBitfield(peer, peer.pieces());
    }

    private Requests pick(TestPeer peer, int max) {
        Requests r = new Requests();
        int n = picker.pickBlocks(peer, max, 0, r);
        assertThat(n).isEqualTo(r.blocks.size());
        return r;
    }

    private void receiveAll(TestPeer peer, Requests r) {
        for (int[] b : r.blocks) {
            picker.blockReceived(peer, b[0], b[1]);
        }
    }

    @Test
    void picksTheRarestPieceThePeerHas() {
        TestPeer seed = TestPeer.seed(0, PIECES);
        connect(seed);
        connect(new TestPeer(1, PIECES, 0, 1, 2, 3, 4, 5, 6, 8, 9));
        connect(new TestPeer(2, PIECES, 0, 1, 2, 3, 4, 5, 6, 7, 9));
        connect(new TestPeer(3, PIECES, 0, 1, 2, 3, 4, 5, 6, 8, 9));
        // availability: piece 7 -> 2, piece 8 -> 3, all others 4 (piece 9 too)
        assertThat(pick(seed, 4).pieces()).containsExactly(7);
        assertThat(pick(seed, 4).pieces()).containsExactly(8);
    }

    @Test
    void breaksTiesAtRandomAmongTheRarest() {
        Set<Integer> firstPicks = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            RarestFirstPicker p = new RarestFirstPicker(PieceLayout.of(PIECE, LENGTH), seed);
            TestPeer peer = TestPeer.seed(0, PIECES);
            p.peerBitfield(peer, peer.pieces());
            Requests r = new Requests();
            p.pickBlocks(peer, 1, 0, r);
            firstPicks.add(r.blocks.get(0)[0]);
        }
        // All ten pieces are equally rare: a fixed choice (e.g. always piece 0) would be one value.
        assertThat(firstPicks.size()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void availabilityFollowsBitfieldHaveAndPeerGone() {
        TestPeer a = new TestPeer(0, PIECES, 1, 2);
        TestPeer b = new TestPeer(1, PIECES, 2);
        connect(a);
        connect(b);
        assertThat(picker.availability(1)).isEqualTo(1);
        assertThat(picker.availability(2)).isEqualTo(2);
        picker.peerHave(b, 1);
        picker.peerHave(b, 1); // a repeated have counts once
        assertThat(picker.availability(1)).isEqualTo(2);
        picker.peerGone(a);
        assertThat(picker.availability(1)).isEqualTo(1);
        assertThat(picker.availability(2)).isEqualTo(1);
        picker.peerGone(b);
        for (int i = 0; i < PIECES; i++) {
            assertThat(picker.availability(i)).isZero();
        }
    }

    @Test
    void aSecondBitfieldFromTheSameSlotReplacesTheFirst() {
        TestPeer a = new TestPeer(0, PIECES, 1, 2);
        connect(a);
        picker.peerBitfield(a, new TestPeer(0, PIECES, 3).pieces());
        assertThat(picker.availability(1)).isZero();
        assertThat(picker.availability(3)).isEqualTo(1);
    }

    @Test
    void eachPeerFinishesItsOwnPiecesBeforeStartingNewOnesAndJoinsOthersOnlyWhenNothingIsLeft() {
        TestPeer a = TestPeer.seed(0, PIECES);
        TestPeer b = TestPeer.seed(1, PIECES);
        connect(a);
        connect(b);
        Requests first = pick(a, 2); // half of some piece
        int mine = first.blocks.get(0)[0];
        assertThat(first.pieces()).containsExactly(mine);
        // b starts a piece of its own: one source per piece keeps hash failures attributable
        Requests other = pick(b, 4);
        assertThat(other.pieces()).singleElement().isNotEqualTo(mine);
        // a finishes what it started before anything new
        Requests rest = pick(a, 3);
        assertThat(rest.blocks).extracting(x -> x[0] + "@" + x[1]).startsWith(
                mine + "@" + 2 * BLOCK, mine + "@" + 3 * BLOCK);
        assertThat(rest.blocks.get(2)[0]).isNotIn(mine, other.blocks.get(0)[0]);
    }

    @Test
    void peersShareAStartedPieceWhenNoNewPieceIsLeft() {
        RarestFirstPicker one = new RarestFirstPicker(PieceLayout.of(PIECE, PIECE), 1);
        TestPeer a = TestPeer.seed(0, 1);
        TestPeer b = TestPeer.seed(1, 1);
        one.peerBitfield(a, a.pieces());
        one.peerBitfield(b, b.pieces());
        one.pickBlocks(a, 2, 0, new Requests());
        Requests rb = new Requests();
        one.pickBlocks(b, 2, 0, rb);
        assertThat(rb.blocks).extracting(x -> x[1]).containsExactly(2 * BLOCK, 3 * BLOCK);
    }

    @Test
    void aPieceLeftByAPeerThatWentAwayIsTakenOverWhole() {
        TestPeer a = TestPeer.seed(0, PIECES);
        TestPeer b = TestPeer.seed(1, PIECES);
        connect(a);
        connect(b);
        Requests ra = pick(a, 3);
        int piece = ra.blocks.get(0)[0];
        picker.blockReceived(a, piece, 0);
        picker.peerGone(a);
        Requests rb = pick(b, 3);
        assertThat(rb.blocks).extracting(x -> x[0] + "@" + x[1])
                .containsExactly(piece + "@" + BLOCK, piece + "@" + 2 * BLOCK, piece + "@" + 3 * BLOCK);
    }

    @Test
    void neverRequestsPiecesWeHaveNorTheSameBlockTwiceOutsideEndgame() {
        for (int i = 0; i < PIECES; i += 2) {
            picker.weHave(i);
        }
        TestPeer a = TestPeer.seed(0, PIECES);
        TestPeer b = TestPeer.seed(1, PIECES);
        connect(a);
        connect(b);
        Set<String> seen = new HashSet<>();
        List<Set<String>> perPeer = List.of(new HashSet<>(), new HashSet<>());
        for (int round = 0; round < 10; round++) {
            for (TestPeer peer : List.of(a, b)) {
                for (int[] blk : pick(peer, 3).blocks) {
                    assertThat(blk[0] % 2).as("piece %d is ours", blk[0]).isEqualTo(1);
                    String key = blk[0] + ":" + blk[1];
                    assertThat(perPeer.get(peer.slot()).add(key)).as("twice to one peer").isTrue();
                    if (!seen.add(key)) {
                        assertThat(picker.isEndgame()).as("duplicate outside endgame").isTrue();
                    }
                }
            }
        }
        // Pieces 1, 3, 5, 7, 9: 20 distinct blocks, all requested once before endgame.
        assertThat(seen).hasSize(20);
        assertThat(picker.isEndgame()).isTrue();
    }

    @Test
    void lastBlockOfTheLastPieceIsShort() {
        TestPeer peer = new TestPeer(0, PIECES, 9);
        connect(peer);
        Requests r = pick(peer, 10);
        assertThat(r.blocks).extracting(x -> x[0] + "@" + x[1] + "+" + x[2])
                .containsExactly("9@0+" + BLOCK, "9@" + BLOCK + "+" + BLOCK,
                        "9@" + 2 * BLOCK + "+" + BLOCK, "9@" + 3 * BLOCK + "+100");
    }

    @Test
    void endgameRequestsOutstandingBlocksFromAnotherPeerButNeverTwiceFromOne() {
        RarestFirstPicker small = new RarestFirstPicker(PieceLayout.of(PIECE, 2L * BLOCK), 1);
        TestPeer a = TestPeer.seed(0, 1);
        TestPeer b = TestPeer.seed(1, 1);
        small.peerBitfield(a, a.pieces());
        small.peerBitfield(b, b.pieces());
        Requests ra = new Requests();
        assertThat(small.pickBlocks(a, 10, 0, ra)).isEqualTo(2);
        assertThat(small.isEndgame()).isTrue();
        assertThat(small.pickBlocks(a, 10, 0, new Requests())).as("same peer again").isZero();
        Requests rb = new Requests();
        assertThat(small.pickBlocks(b, 10, 0, rb)).isEqualTo(2);
        assertThat(rb.blocks).extracting(x -> x[1]).containsExactly(0, BLOCK);
        // One copy arrives from b: the other block is still duplicated, this one is done.
        small.blockReceived(b, 0, 0);
        small.requestAbandoned(a, 0, 0); // the engine cancelled a's duplicate
        TestPeer c = TestPeer.seed(2, 1);
        small.peerBitfield(c, c.pieces());
        Requests rc = new Requests();
        small.pickBlocks(c, 10, 0, rc);
        assertThat(rc.blocks).extracting(x -> x[1]).containsExactly(BLOCK);
    }

    @Test
    void abandonedAndDisconnectedRequestsBecomeFreeAgain() {
        TestPeer a = TestPeer.seed(0, PIECES);
        TestPeer b = TestPeer.seed(1, PIECES);
        connect(a);
        connect(b);
        Requests ra = pick(a, 4);
        int piece = ra.blocks.get(0)[0];
        picker.requestAbandoned(a, piece, BLOCK);
        Requests again = pick(a, 1);
        assertThat(again.blocks.get(0)).containsExactly(piece, BLOCK, BLOCK);
        picker.peerGone(a); // blocks 0..3 of the piece were in flight to a
        Requests rb = pick(b, 4);
        assertThat(rb.blocks).extracting(x -> x[0] + "@" + x[1]).containsExactly(piece + "@0",
                piece + "@" + BLOCK, piece + "@" + 2 * BLOCK, piece + "@" + 3 * BLOCK);
    }

    @Test
    void aFailedPieceIsDownloadedAgainFirstAndWholeFromOnePeer() {
        TestPeer a = TestPeer.seed(0, PIECES);
        TestPeer b = TestPeer.seed(1, PIECES);
        connect(a);
        connect(b);
        Requests r = pick(a, 4);
        int piece = r.blocks.get(0)[0];
        receiveAll(a, r);
        assertThat(pick(a, 1).pieces()).doesNotContain(piece);
        picker.pieceFailed(piece);
        Requests again = pick(b, 4);
        assertThat(again.pieces()).containsExactly(piece);
        assertThat(again.blocks).hasSize(4);
    }

    @Test
    void streamingWindowIsPickedInOrderBeforeRarerPieces() {
        TestPeer seed = TestPeer.seed(0, PIECES);
        connect(seed);
        connect(new TestPeer(1, PIECES, 0, 1, 2, 3, 4, 5, 6, 7, 9)); // piece 8 is the rarest
        picker.setStreamingWindow(3, 3);
        Requests r = pick(seed, 12);
        assertThat(r.pieces()).containsExactly(3, 4, 5);
        assertThat(pick(seed, 4).pieces()).containsExactly(8);
        picker.setStreamingWindow(0, 0);
    }

    @Test
    void earliestDeadlineFirstAndOverduePiecesGetDuplicateRequests() {
        TestPeer slow = TestPeer.seed(0, PIECES);
        TestPeer fast = TestPeer.seed(1, PIECES);
        connect(slow);
        connect(fast);
        picker.setDeadline(6, 5_000);
        picker.setDeadline(2, 1_000);
        Requests r = new Requests();
        picker.pickBlocks(slow, 8, 0, r);
        assertThat(r.pieces()).containsExactly(2, 6);
        // Before the deadline the fast peer gets other work; after it, a copy of piece 2's blocks.
        Requests before = new Requests();
        picker.pickBlocks(fast, 4, 999, before);
        assertThat(before.pieces()).doesNotContain(2, 6);
        Requests after = new Requests();
        picker.pickBlocks(fast, 4, 1_000, after);
        assertThat(after.pieces()).containsExactly(2);
        picker.setDeadline(6, Long.MAX_VALUE);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new RarestFirstPicker(PieceLayout.of(PIECE, 0), 1))
                .isInstanceOf(IllegalArgumentException.class);
        TestPeer a = TestPeer.seed(0, PIECES);
        assertThatThrownBy(() -> picker.peerBitfield(a, new Bitfield(PIECES + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> picker.peerHave(a, PIECES))
                .isInstanceOf(IllegalArgumentException.class);
        connect(a);
        int started = pick(a, 1).blocks.get(0)[0];
        assertThatThrownBy(() -> picker.requestAbandoned(a, started, 17))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A whole download with peers that come and go, lose requests and receive blocks in random
     * order: it must end with every piece verified, whatever the interleaving.
     */
    @Test
    void randomSwarmDownloadCompletes() {
        int pieces = 200;
        long length = 200L * PIECE - 5; // every piece has 4 blocks
        for (long seed = 0; seed < 20; seed++) {
            Random rnd = new Random(seed);
            RarestFirstPicker p = new RarestFirstPicker(PieceLayout.of(PIECE, length), seed);
            List<TestPeer> peers = new ArrayList<>();
            List<List<int[]>> inFlight = new ArrayList<>();
            for (int s = 0; s < 5; s++) {
                TestPeer peer = new TestPeer(s, pieces);
                for (int i = 0; i < pieces; i++) {
                    if (s == 0 || rnd.nextInt(3) == 0) {
                        peer.pieces().set(i);
                    }
                }
                p.peerBitfield(peer, peer.pieces());
                peers.add(peer);
                inFlight.add(new ArrayList<>());
            }
            int[] received = new int[pieces];
            boolean[] verified = new boolean[pieces];
            int done = 0;
            for (int step = 0; step < 200_000 && done < pieces; step++) {
                int s = rnd.nextInt(peers.size());
                TestPeer peer = peers.get(s);
                List<int[]> mine = inFlight.get(s);
                int action = rnd.nextInt(20);
                if (action == 0 && s != 0) {
                    p.peerGone(peer);
                    mine.clear();
                    p.peerBitfield(peer, peer.pieces()); // reconnects
                } else if (action == 1 && !mine.isEmpty()) {
                    int[] b = mine.remove(rnd.nextInt(mine.size()));
                    p.requestAbandoned(peer, b[0], b[1]);
                } else if (action < 8 || mine.isEmpty()) {
                    Requests r = new Requests();
                    p.pickBlocks(peer, 8 - mine.size(), step, r);
                    mine.addAll(r.blocks);
                } else {
                    int[] b = mine.remove(rnd.nextInt(mine.size()));
                    if (verified[b[0]]) {
                        continue;
                    }
                    p.blockReceived(peer, b[0], b[1]);
                    received[b[0]] |= 1 << (b[1] / BLOCK);
                    if (received[b[0]] == 0b1111) {
                        if (rnd.nextInt(10) == 0) {
                            p.pieceFailed(b[0]);
                            received[b[0]] = 0;
                        } else {
                            p.pieceVerified(b[0]);
                            verified[b[0]] = true;
                            done++;
                        }
                    }
                }
            }
            assertThat(done).as("seed %d", seed).isEqualTo(pieces);
            assertThat(p.isEndgame()).isFalse();
        }
    }
}
