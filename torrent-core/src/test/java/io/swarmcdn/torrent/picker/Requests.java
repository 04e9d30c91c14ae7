package io.swarmcdn.torrent.picker;

import java.util.ArrayList;
import java.util.List;

/** Collects what the picker asks for; a block is {piece, offset, length}. */
final class Requests implements PiecePicker.BlockSink {

    final List<int[]> blocks = new ArrayList<>();

    @Override
    public void request(int piece, int offset, int length) {
        blocks.add(new int[] {piece, offset, length});
    }

    List<Integer> pieces() {
        List<Integer> out = new ArrayList<>();
        for (int[] b : blocks) {
            if (out.isEmpty() || out.get(out.size() - 1) != b[0]) {
                out.add(b[0]);
            }
        }
        return out;
    }
}
