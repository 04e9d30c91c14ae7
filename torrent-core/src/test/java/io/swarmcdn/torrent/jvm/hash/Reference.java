package io.swarmcdn.torrent.jvm.hash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/** The obvious, slow way to compute piece hashes: everything in memory, one digest. */
final class Reference {
  private Reference() {}

  static byte[] pieces(byte[] content, int pieceLength) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 0; off < content.length; off += pieceLength) {
      md.update(content, off, Math.min(pieceLength, content.length - off));
      out.write(md.digest());
    }
    return out.toByteArray();
  }

  static byte[] concat(List<Path> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Path f : files) {
      out.write(Files.readAllBytes(f));
    }
    return out.toByteArray();
  }
}
