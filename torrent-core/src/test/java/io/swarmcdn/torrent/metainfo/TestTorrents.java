package io.swarmcdn.torrent.metainfo;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BencodeEncoder;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/** Hand-assembled torrents for tests (independent of the create package). */
final class TestTorrents {
  private TestTorrents() {}

  static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static byte[] fakePieces(int count) {
    byte[] out = new byte[20 * count];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (i * 31);
    }
    return out;
  }

  static BDictionary.Builder singleFileInfo(String name, long length, int pieceLength) {
    int pieces = (int) ((length + pieceLength - 1) / pieceLength);
    return BDictionary.builder()
        .put("name", name)
        .put("length", length)
        .put("piece length", pieceLength)
        .put("pieces", fakePieces(pieces));
  }

  static BDictionary.Builder multiFileInfo(String name, int pieceLength, Map<String, Long> files) {
    long total = files.values().stream().mapToLong(Long::longValue).sum();
    int pieces = (int) ((total + pieceLength - 1) / pieceLength);
    List<Object> list =
        files.entrySet().stream()
            .map(e -> (Object) Map.of("path", List.of(e.getKey().split("/", -1)), "length", e.getValue()))
            .toList();
    return BDictionary.builder()
        .put("name", name)
        .put("files", list)
        .put("piece length", pieceLength)
        .put("pieces", fakePieces(pieces));
  }

  static byte[] torrent(BDictionary info) {
    return BencodeEncoder.encode(BDictionary.builder().put("info", info).build());
  }
}
