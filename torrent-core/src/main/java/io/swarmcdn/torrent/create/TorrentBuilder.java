package io.swarmcdn.torrent.create;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.bencode.BencodeEncoder;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.metainfo.MetainfoException;
import io.swarmcdn.torrent.metainfo.TorrentFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Assembles a v1 .torrent (BEP 3) once the pieces are hashed.
 *
 * <p>Use {@link #files()} and {@link #pieceLength()} to hash the content in the right order, then
 * {@link #build(byte[])}. Multi-file torrents list files sorted by path, component by component,
 * comparing the UTF-8 bytes of each name (so {@code a/x} comes before {@code a-b/y}: directory
 * contents stay together). The info dictionary holds only {@code name}, {@code piece length},
 * {@code pieces}, {@code length}/{@code files} and, if asked, {@code private}; optional keys such
 * as {@code private: 0} would change the info-hash for no benefit.
 */
public final class TorrentBuilder {
  /** A file to put into a multi-file torrent: its path below the torrent's directory. */
  public record FileEntry(List<String> path, long length) {
    public FileEntry {
      path = List.copyOf(path);
      if (length < 0) {
        throw new IllegalArgumentException("negative length for " + path);
      }
    }
  }

  /** Path order: component by component, each compared as unsigned UTF-8 bytes. */
  public static final Comparator<List<String>> PATH_ORDER =
      (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          int c = BString.of(a.get(i)).compareTo(BString.of(b.get(i)));
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.size(), b.size());
      };

  private final String name;
  private final boolean singleFile;
  private final List<TorrentFile> files;
  private final long totalLength;
  private int pieceLength;
  private final List<String> trackers = new ArrayList<>();
  private final List<String> webSeeds = new ArrayList<>();
  private String comment;
  private String createdBy;
  private Long creationDate;
  private boolean privateTorrent;

  private TorrentBuilder(String name, boolean singleFile, List<FileEntry> entries) {
    Info.checkComponent(name, "name");
    this.name = name;
    this.singleFile = singleFile;
    List<FileEntry> sorted = new ArrayList<>(entries);
    sorted.sort((x, y) -> PATH_ORDER.compare(x.path(), y.path()));
    List<TorrentFile> out = new ArrayList<>(sorted.size());
    long offset = 0;
    for (FileEntry e : sorted) {
      if (!singleFile) {
        if (e.path().isEmpty()) {
          throw new MetainfoException("a file has an empty path");
        }
        for (String c : e.path()) {
          Info.checkComponent(c, "path '" + String.join("/", e.path()) + "'");
        }
      }
      out.add(new TorrentFile(e.path(), e.length(), offset));
      offset += e.length();
    }
    if (offset == 0) {
      throw new MetainfoException(
          singleFile ? "'" + name + "' is empty: a torrent needs at least one byte"
              : "'" + name + "' holds no data: a torrent needs at least one byte");
    }
    this.files = List.copyOf(out);
    this.totalLength = offset;
  }

  /** A single-file torrent of one file called {@code name}. */
  public static TorrentBuilder singleFile(String name, long length) {
    return new TorrentBuilder(name, true, List.of(new FileEntry(List.of(name), length)));
  }

  /** A multi-file torrent: directory {@code name} holding {@code files} (any order). */
  public static TorrentBuilder multiFile(String name, List<FileEntry> files) {
    if (files.isEmpty()) {
      throw new MetainfoException("'" + name + "' holds no files");
    }
    return new TorrentBuilder(name, false, files);
  }

  /** Sets the piece length (a power of two, 16 KiB..256 MiB); default {@link PieceLengths#automatic}. */
  public TorrentBuilder pieceLength(int pieceLength) {
    if (pieceLength < Info.MIN_PIECE_LENGTH
        || pieceLength > Info.MAX_PIECE_LENGTH
        || Integer.bitCount(pieceLength) != 1) {
      throw new IllegalArgumentException(
          "piece length " + pieceLength + " is not a power of two between 16 KiB and 256 MiB");
    }
    this.pieceLength = pieceLength;
    return this;
  }

  /**
   * Adds a tracker. The first becomes {@code announce}; with several, {@code announce-list} holds
   * each in its own tier, in order (BEP 12; as mktorrent does for repeated {@code -a}).
   */
  public TorrentBuilder tracker(String url) {
    trackers.add(url);
    return this;
  }

  /** Adds a BEP 19 web seed ({@code url-list}). */
  public TorrentBuilder webSeed(String url) {
    webSeeds.add(url);
    return this;
  }

  public TorrentBuilder comment(String comment) {
    this.comment = comment;
    return this;
  }

  public TorrentBuilder createdBy(String createdBy) {
    this.createdBy = createdBy;
    return this;
  }

  /** Seconds since the epoch. */
  public TorrentBuilder creationDate(long epochSeconds) {
    this.creationDate = epochSeconds;
    return this;
  }

  /** BEP 27: adds {@code private: 1} to the info dictionary. Off by default (no key at all). */
  public TorrentBuilder privateTorrent(boolean privateTorrent) {
    this.privateTorrent = privateTorrent;
    return this;
  }

  public String name() {
    return name;
  }

  public boolean isSingleFile() {
    return singleFile;
  }

  /** The files in torrent order (hash them in this order), with their offsets. */
  public List<TorrentFile> files() {
    return files;
  }

  public long totalLength() {
    return totalLength;
  }

  /** The piece length that will be used: the one set, or the automatic one. */
  public int pieceLength() {
    return pieceLength != 0 ? pieceLength : PieceLengths.automatic(totalLength);
  }

  public int pieceCount() {
    int pl = pieceLength();
    return (int) ((totalLength + pl - 1) / pl);
  }

  /** The torrent, given the concatenated SHA-1 hashes of all pieces. */
  public Metainfo build(byte[] pieces) {
    if (pieces.length != 20L * pieceCount()) {
      throw new IllegalArgumentException(
          "expected " + pieceCount() + " piece hashes, got " + pieces.length + " bytes");
    }
    BDictionary.Builder info =
        BDictionary.builder().put("name", name).put("piece length", pieceLength()).put("pieces", pieces);
    if (singleFile) {
      info.put("length", totalLength);
    } else {
      List<Object> list = new ArrayList<>(files.size());
      for (TorrentFile f : files) {
        list.add(BDictionary.builder().put("length", f.length()).put("path", f.path()).build());
      }
      info.put("files", list);
    }
    if (privateTorrent) {
      info.put("private", 1);
    }
    BDictionary.Builder root = BDictionary.builder().put("info", info.build());
    if (!trackers.isEmpty()) {
      root.put("announce", trackers.get(0));
      if (trackers.size() > 1) {
        List<Object> tiers = new ArrayList<>();
        for (String t : trackers) {
          tiers.add(List.of(t));
        }
        root.put("announce-list", tiers);
      }
    }
    if (webSeeds.size() == 1) {
      root.put("url-list", webSeeds.get(0));
    } else if (webSeeds.size() > 1) {
      root.put("url-list", new ArrayList<Object>(webSeeds));
    }
    if (comment != null) {
      root.put("comment", comment);
    }
    if (createdBy != null) {
      root.put("created by", createdBy);
    }
    if (creationDate != null) {
      root.put("creation date", creationDate);
    }
    return Metainfo.parse(BencodeEncoder.encode(root.build()));
  }
}
