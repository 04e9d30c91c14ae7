package io.swarmcdn.torrent.metainfo;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BList;
import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.bencode.BValue;
import io.swarmcdn.torrent.bencode.BencodeDecoder;
import io.swarmcdn.torrent.bencode.BencodeException;
import io.swarmcdn.torrent.bencode.BencodeLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The info dictionary of a v1 torrent (BEP 3), validated as untrusted input.
 *
 * <p>Accepted: a non-empty {@code name}; a {@code piece length} that is a power of two from 16 KiB
 * to 256 MiB (BEP 52 makes powers of two a rule; every tool we know creates them, and these bounds
 * keep piece buffers sane); {@code pieces} holding exactly one 20-byte SHA-1 per piece; either
 * {@code length} (single file) or a non-empty {@code files} list with safe paths: every component
 * non-empty, not {@code .} or {@code ..}, without {@code /} or NUL, no duplicate paths, no file
 * used as a directory of another. The total size must be positive (no empty torrents).
 */
public final class Info {
  public static final int MIN_PIECE_LENGTH = 16 * 1024;
  public static final int MAX_PIECE_LENGTH = 256 * 1024 * 1024;
  /** Upper bound on the total size: 2^50 bytes (1 PiB), far above the 1 TiB we design for. */
  public static final long MAX_TOTAL_LENGTH = 1L << 50;

  private final BDictionary dictionary;
  private final String name;
  private final int pieceLength;
  private final byte[] pieces;
  private final List<TorrentFile> files;
  private final boolean singleFile;
  private final boolean isPrivate;
  private final PieceLayout layout;

  private Info(BDictionary d) {
    this.dictionary = d;
    this.name = requiredString(d, "name");
    checkComponent(name, "name");
    Long pl = d.getLong("piece length");
    if (pl == null) {
      throw new MetainfoException("info has no 'piece length'");
    }
    if (pl < MIN_PIECE_LENGTH || pl > MAX_PIECE_LENGTH || Long.bitCount(pl) != 1) {
      throw new MetainfoException(
          "piece length " + pl + " is not a power of two between 16 KiB and 256 MiB");
    }
    this.pieceLength = (int) (long) pl;
    this.pieces = d.getBytes("pieces");
    if (pieces == null) {
      throw new MetainfoException("info has no 'pieces'");
    }
    if (pieces.length % 20 != 0) {
      throw new MetainfoException(
          "'pieces' is " + pieces.length + " bytes long, not a multiple of 20");
    }
    Long length = d.getLong("length");
    BList fileList = d.getList("files");
    if ((length == null) == (fileList == null)) {
      throw new MetainfoException("info must have exactly one of 'length' and 'files'");
    }
    this.singleFile = length != null;
    this.files = singleFile ? List.of(new TorrentFile(List.of(name), checkLength(length, name), 0))
        : parseFiles(fileList);
    long[] lengths = new long[files.size()];
    long total = 0;
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = files.get(i).length();
      total += lengths[i];
    }
    if (total == 0) {
      throw new MetainfoException("torrent has no content (total length 0)");
    }
    this.layout = PieceLayout.of(pieceLength, lengths);
    long expected = 20L * layout.pieceCount();
    if (pieces.length != expected) {
      throw new MetainfoException(
          "'pieces' holds " + pieces.length / 20 + " hashes but " + total + " bytes in pieces of "
              + pieceLength + " need " + layout.pieceCount());
    }
    Long priv = d.getLong("private");
    this.isPrivate = priv != null && priv == 1;
  }

  /** Validates a decoded info dictionary. */
  public static Info of(BDictionary info) {
    try {
      return new Info(info);
    } catch (BencodeException e) {
      throw new MetainfoException("invalid info dictionary: " + e.getMessage(), e);
    }
  }

  /** Decodes and validates the raw bytes of an info dictionary (e.g. received with BEP 9). */
  public static Info parse(byte[] infoBytes) {
    BValue v;
    try {
      v = BencodeDecoder.decode(infoBytes, BencodeLimits.DEFAULT);
    } catch (BencodeException e) {
      throw new MetainfoException("malformed info dictionary: " + e.getMessage(), e);
    }
    if (!(v instanceof BDictionary d)) {
      throw new MetainfoException("info is not a dictionary");
    }
    return of(d);
  }

  private static List<TorrentFile> parseFiles(BList list) {
    if (list.size() == 0) {
      throw new MetainfoException("'files' is empty");
    }
    List<TorrentFile> out = new ArrayList<>(list.size());
    Set<List<String>> paths = new HashSet<>();
    long offset = 0;
    for (int i = 0; i < list.size(); i++) {
      if (!(list.items().get(i) instanceof BDictionary f)) {
        throw new MetainfoException("files[" + i + "] is not a dictionary");
      }
      BList pathList = f.getList("path");
      if (pathList == null || pathList.size() == 0) {
        throw new MetainfoException("files[" + i + "] has no path");
      }
      List<String> path = new ArrayList<>(pathList.size());
      for (BValue c : pathList.items()) {
        if (!(c instanceof BString s)) {
          throw new MetainfoException("files[" + i + "].path has a component that is not a string");
        }
        String component = s.asUtf8();
        checkComponent(component, "files[" + i + "].path");
        path.add(component);
      }
      Long length = f.getLong("length");
      if (length == null) {
        throw new MetainfoException("files[" + i + "] has no length");
      }
      TorrentFile tf = new TorrentFile(path, checkLength(length, String.join("/", path)), offset);
      if (!paths.add(tf.path())) {
        throw new MetainfoException("duplicate file path '" + tf.pathString() + "'");
      }
      offset += tf.length();
      if (offset > MAX_TOTAL_LENGTH) {
        throw new MetainfoException("total length exceeds " + MAX_TOTAL_LENGTH + " bytes");
      }
      out.add(tf);
    }
    for (List<String> p : paths) {
      for (int n = 1; n < p.size(); n++) {
        if (paths.contains(p.subList(0, n))) {
          throw new MetainfoException(
              "'" + String.join("/", p.subList(0, n)) + "' is both a file and a directory");
        }
      }
    }
    return List.copyOf(out);
  }

  private static long checkLength(long length, String what) {
    if (length < 0 || length > MAX_TOTAL_LENGTH) {
      throw new MetainfoException("'" + what + "' has an invalid length " + length);
    }
    return length;
  }

  private static String requiredString(BDictionary d, String key) {
    String s = d.getString(key);
    if (s == null) {
      throw new MetainfoException("info has no '" + key + "'");
    }
    return s;
  }

  /**
   * Rejects path components that could escape the download directory or that no file system can
   * hold: empty, ".", "..", or containing '/' or NUL. {@code where} names the component's place in
   * the message.
   *
   * @throws MetainfoException naming the problem
   */
  public static void checkComponent(String c, String where) {
    if (c.isEmpty()) {
      throw new MetainfoException(where + " has an empty component");
    }
    if (c.equals(".") || c.equals("..")) {
      throw new MetainfoException(where + " has the unsafe component '" + c + "'");
    }
    if (c.indexOf('/') >= 0 || c.indexOf('\0') >= 0) {
      throw new MetainfoException(where + " component '" + c.replace('\0', '?')
          + "' contains '/' or NUL");
    }
  }

  /** The raw dictionary (including keys this class does not interpret). */
  public BDictionary dictionary() {
    return dictionary;
  }

  /** Suggested file name (single file) or directory name (multi-file). */
  public String name() {
    return name;
  }

  public int pieceLength() {
    return pieceLength;
  }

  public int pieceCount() {
    return layout.pieceCount();
  }

  /** The expected SHA-1 of piece {@code index} (a copy). */
  public byte[] pieceHash(int index) {
    if (index < 0 || index >= layout.pieceCount()) {
      throw new IndexOutOfBoundsException("piece " + index + " of " + layout.pieceCount());
    }
    return Arrays.copyOfRange(pieces, 20 * index, 20 * index + 20);
  }

  /** Whether piece {@code index} has the expected hash {@code sha1}, without copying. */
  public boolean pieceHashEquals(int index, byte[] sha1) {
    if (index < 0 || index >= layout.pieceCount()) {
      throw new IndexOutOfBoundsException("piece " + index + " of " + layout.pieceCount());
    }
    if (sha1.length != 20) {
      return false;
    }
    int diff = 0;
    for (int i = 0; i < 20; i++) {
      diff |= pieces[20 * index + i] ^ sha1[i];
    }
    return diff == 0;
  }

  /** The files in torrent order; a single-file torrent has one, named {@link #name()}. */
  public List<TorrentFile> files() {
    return files;
  }

  public long totalLength() {
    return layout.totalLength();
  }

  public boolean isSingleFile() {
    return singleFile;
  }

  /** BEP 27: {@code private} is 1. */
  public boolean isPrivate() {
    return isPrivate;
  }

  public PieceLayout layout() {
    return layout;
  }
}
