package io.swarmcdn.torrent.metainfo;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BList;
import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.bencode.BValue;
import io.swarmcdn.torrent.bencode.BencodeDecoder;
import io.swarmcdn.torrent.bencode.BencodeException;
import io.swarmcdn.torrent.bencode.BencodeLimits;
import io.swarmcdn.torrent.bencode.ByteSpan;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed .torrent file (BEP 3 v1), with trackers (BEP 12 {@code announce-list}) and web seeds
 * (BEP 19 {@code url-list}).
 *
 * <p>The info-hash is the SHA-1 of the info dictionary's bytes exactly as they appear in the file;
 * they are never re-encoded. The file must be canonical bencode, so {@link #toBytes()} returns the
 * same bytes it was parsed from.
 */
public final class Metainfo {
  private final byte[] encoded;
  private final byte[] infoBytes;
  private final InfoHash infoHash;
  private final Info info;
  private final BDictionary root;
  private final String announce;
  private final List<List<String>> announceList;
  private final List<String> webSeeds;

  private Metainfo(byte[] encoded, BDictionary root) {
    this.encoded = encoded;
    this.root = root;
    BDictionary infoDict = root.getDictionary("info");
    if (infoDict == null) {
      throw new MetainfoException("torrent has no 'info' dictionary");
    }
    ByteSpan span = root.span("info");
    this.infoBytes = span.copyFrom(encoded);
    this.info = Info.of(infoDict);
    this.infoHash = InfoHash.ofInfoBytes(infoBytes);
    this.announce = root.getString("announce");
    this.announceList = parseAnnounceList(root.getList("announce-list"));
    this.webSeeds = parseUrlList(root.get("url-list"));
    // Type-check the optional fields now, so that their accessors never throw later.
    root.getString("comment");
    root.getString("created by");
    root.getLong("creation date");
  }

  /** Parses and validates an untrusted .torrent file. */
  public static Metainfo parse(byte[] torrentFile) {
    return parse(torrentFile, BencodeLimits.DEFAULT);
  }

  /** Parses and validates an untrusted .torrent file within {@code limits}. */
  public static Metainfo parse(byte[] torrentFile, BencodeLimits limits) {
    byte[] copy = torrentFile.clone();
    BValue v;
    try {
      v = BencodeDecoder.decode(copy, limits);
    } catch (BencodeException e) {
      throw new MetainfoException("malformed torrent file: " + e.getMessage(), e);
    }
    if (!(v instanceof BDictionary root)) {
      throw new MetainfoException("torrent file is not a bencoded dictionary");
    }
    try {
      return new Metainfo(copy, root);
    } catch (BencodeException e) {
      throw new MetainfoException("invalid torrent file: " + e.getMessage(), e);
    }
  }

  private static List<List<String>> parseAnnounceList(BList list) {
    if (list == null) {
      return List.of();
    }
    List<List<String>> tiers = new ArrayList<>(list.size());
    for (BValue tier : list.items()) {
      if (!(tier instanceof BList urls)) {
        throw new MetainfoException("'announce-list' must be a list of lists of URLs");
      }
      List<String> out = new ArrayList<>(urls.size());
      for (BValue url : urls.items()) {
        if (!(url instanceof BString s)) {
          throw new MetainfoException("'announce-list' holds a tracker that is not a string");
        }
        out.add(s.asUtf8());
      }
      tiers.add(List.copyOf(out));
    }
    return List.copyOf(tiers);
  }

  /** BEP 19: {@code url-list} is one URL string or a list of them. */
  private static List<String> parseUrlList(BValue v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof BString s) {
      return s.length() == 0 ? List.of() : List.of(s.asUtf8());
    }
    if (!(v instanceof BList list)) {
      throw new MetainfoException("'url-list' must be a string or a list of strings");
    }
    List<String> out = new ArrayList<>(list.size());
    for (BValue item : list.items()) {
      if (!(item instanceof BString s)) {
        throw new MetainfoException("'url-list' holds a web seed that is not a string");
      }
      out.add(s.asUtf8());
    }
    return List.copyOf(out);
  }

  public InfoHash infoHash() {
    return infoHash;
  }

  public Info info() {
    return info;
  }

  /** The exact bytes of the info dictionary as they appear in the file (a copy). */
  public byte[] infoBytes() {
    return infoBytes.clone();
  }

  /** The whole root dictionary, including keys this class does not interpret. */
  public BDictionary dictionary() {
    return root;
  }

  /** The {@code announce} URL, or null. */
  public String announce() {
    return announce;
  }

  /** BEP 12 tiers of tracker URLs; empty when absent. */
  public List<List<String>> announceList() {
    return announceList;
  }

  /**
   * Every tracker once, in BEP 12 order: the tiers of {@code announce-list} if present (BEP 12
   * says clients then ignore {@code announce}), else {@code announce}.
   */
  public List<String> trackers() {
    List<String> out = new ArrayList<>();
    if (!announceList.isEmpty()) {
      for (List<String> tier : announceList) {
        for (String url : tier) {
          if (!out.contains(url)) {
            out.add(url);
          }
        }
      }
    } else if (announce != null) {
      out.add(announce);
    }
    return List.copyOf(out);
  }

  /** BEP 19 web seeds ({@code url-list}); empty when absent. */
  public List<String> webSeeds() {
    return webSeeds;
  }

  /** The {@code comment}, or null. */
  public String comment() {
    return root.getString("comment");
  }

  /** The {@code created by}, or null. */
  public String createdBy() {
    return root.getString("created by");
  }

  /** The {@code creation date} in seconds since the epoch, or null. */
  public Long creationDate() {
    return root.getLong("creation date");
  }

  /** The bencoded .torrent file (a copy; byte-identical to what was parsed). */
  public byte[] toBytes() {
    return encoded.clone();
  }
}
