package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.create.TorrentBuilder;
import io.swarmcdn.torrent.jvm.hash.JdkSha1;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.util.Random;

/** A single-file torrent over random content, with the content kept for comparisons. */
final class TestTorrent {

    final byte[] content;
    final Metainfo metainfo;

    TestTorrent(int length, int pieceLength, long seed) {
        content = new byte[length];
        new Random(seed).nextBytes(content);
        TorrentBuilder b = TorrentBuilder.singleFile("test.bin", length).pieceLength(pieceLength);
        int pieces = b.pieceCount();
        byte[] hashes = new byte[20 * pieces];
        JdkSha1 sha1 = new JdkSha1();
        for (int i = 0; i < pieces; i++) {
            int off = i * pieceLength;
            int len = Math.min(pieceLength, length - off);
            System.arraycopy(sha1.digest(content, off, len), 0, hashes, 20 * i, 20);
        }
        metainfo = b.build(hashes);
    }
}
