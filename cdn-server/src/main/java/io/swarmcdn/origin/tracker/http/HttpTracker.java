package io.swarmcdn.origin.tracker.http;

import io.netty.util.NetUtil;
import io.swarmcdn.origin.tracker.AllSwarmsScrape;
import io.swarmcdn.origin.tracker.RejectReason;
import io.swarmcdn.origin.tracker.Sweepable;
import io.swarmcdn.origin.tracker.TorrentAllowList;
import io.swarmcdn.origin.tracker.TrackerProperties;
import io.swarmcdn.origin.tracker.TrackerStats;
import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import io.swarmcdn.origin.tracker.swarm.SwarmCounts;
import io.swarmcdn.origin.tracker.swarm.Swarms;
import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.bencode.BencodeEncoder;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The classic BitTorrent tracker over HTTP: announce (BEP 3) with compact peer lists for IPv4
 * (BEP 23, {@code peers}) and IPv6 (BEP 7, {@code peers6}), and scrape (BEP 48). Replies are
 * always bencoded; a refused request gets {@code failure reason} (with HTTP 200, as clients
 * expect).
 *
 * <p>Peer lists are always compact: BEP 23 allows a tracker to ignore {@code compact=0}, and every
 * client in use today asks for compact lists.
 */
public final class HttpTracker implements Sweepable {

  /** Parameters accepted in one query; a real announce has about a dozen. */
  private static final int MAX_PARAMETERS = 200;

  private final Swarms<CompactPeer> swarms;
  private final SwarmCensus census;
  private final TorrentAllowList allowList;
  private final AllSwarmsScrape scrapeAll;
  private final AllSwarmsScrape.Reply<byte[]> scrapeAllReply;
  private final TrackerStats stats;
  private final TrackerProperties.Http config;

  public HttpTracker(
      SwarmCensus census,
      TorrentAllowList allowList,
      AllSwarmsScrape scrapeAll,
      TrackerStats stats,
      TrackerProperties properties) {
    this.config = properties.getHttp();
    this.swarms =
        new Swarms<>("http", properties.getMaxSwarms(), properties.getMaxPeersPerSwarm());
    census.register(swarms);
    this.census = census;
    this.allowList = allowList;
    this.scrapeAll = scrapeAll;
    this.scrapeAllReply = scrapeAll.reply(this::encodeScrapeAll);
    this.stats = stats;
  }

  /**
   * Handles {@code GET /announce}.
   *
   * @param rawQuery the query string still percent-encoded
   * @param remote the address the request came from
   * @return the bencoded reply
   */
  byte[] announce(String rawQuery, InetAddress remote) {
    try {
      QueryString query = QueryString.parse(rawQuery, MAX_PARAMETERS);
      InfoHash infoHash = InfoHash.of(twentyBytes(query, "info_hash"));
      PeerId peerId = PeerId.of(twentyBytes(query, "peer_id"));
      int port = port(query);
      String event = query.text("event");
      boolean seeder = left(query) == 0;
      requirePublished(infoHash);
      if (event != null && !isKnownEvent(event)) {
        throw new TrackerFailure("invalid event");
      }
      if ("stopped".equals(event)) {
        swarms.remove(infoHash, peerId);
        return reply(census.counts(infoHash), List.of());
      }
      CompactPeer self = CompactPeer.of(address(query, remote), port);
      try {
        swarms.announce(infoHash, peerId, self, seeder, "completed".equals(event), System.nanoTime());
      } catch (Swarms.TooManySwarmsException e) {
        throw new TrackerFailure(RejectReason.TOO_MANY_SWARMS, e.getMessage());
      }
      List<CompactPeer> peers = swarms.sample(infoHash, numwant(query), peerId);
      return reply(census.counts(infoHash), peers);
    } catch (TrackerFailure e) {
      stats.rejected(e.reason());
      return failure(e.getMessage());
    }
  }

  /**
   * Handles {@code GET /scrape} (BEP 48): one {@code files} entry per requested, published
   * torrent, with both transports' peers counted. Without {@code info_hash}, the busiest
   * torrents ({@link AllSwarmsScrape}).
   */
  byte[] scrape(String rawQuery) {
    try {
      QueryString query = QueryString.parse(rawQuery, MAX_PARAMETERS);
      List<byte[]> requested = query.all("info_hash");
      if (requested.isEmpty()) {
        return scrapeAll();
      }
      if (requested.size() > config.getMaxScrapeInfoHashes()) {
        throw new TrackerFailure(
            "too many info_hash values (at most " + config.getMaxScrapeInfoHashes() + ")");
      }
      BDictionary.Builder files = BDictionary.builder();
      int published = 0;
      for (byte[] bytes : requested) {
        if (bytes.length != InfoHash.LENGTH) {
          throw new TrackerFailure("invalid info_hash (must be 20 bytes)");
        }
        InfoHash infoHash = InfoHash.of(bytes);
        if (allowList.allows(infoHash)) {
          files.put(BString.of(bytes), file(census.counts(infoHash)));
          published++;
        }
      }
      if (published == 0) {
        throw new TrackerFailure(RejectReason.NOT_PUBLISHED, "torrent not published by this origin");
      }
      return scrapeReply(files);
    } catch (TrackerFailure e) {
      stats.rejected(e.reason());
      return failure(e.getMessage());
    }
  }

  /** A scrape without info_hash; an empty {@code files} when no torrent has peers. */
  private byte[] scrapeAll() {
    if (!scrapeAll.enabled()) {
      throw new TrackerFailure("info_hash is required (scrape of all torrents is off)");
    }
    return scrapeAllReply.current(System.nanoTime());
  }

  private byte[] encodeScrapeAll(List<SwarmCensus.Torrent> torrents) {
    BDictionary.Builder files = BDictionary.builder();
    for (SwarmCensus.Torrent torrent : torrents) {
      files.put(BString.of(torrent.infoHash().bytes()), file(torrent.counts()));
    }
    return scrapeReply(files);
  }

  private static BDictionary file(SwarmCounts counts) {
    return BDictionary.builder()
        .put("complete", counts.complete())
        .put("downloaded", counts.downloaded())
        .put("incomplete", counts.incomplete())
        .build();
  }

  private byte[] scrapeReply(BDictionary.Builder files) {
    return BencodeEncoder.encode(
        BDictionary.builder()
            .put("files", files.build())
            .put(
                "flags",
                BDictionary.builder()
                    .put("min_request_interval", config.getMinInterval().toSeconds())
                    .build())
            .build());
  }

  /** Drops peers that have not announced within the peer timeout. */
  @Override
  public void sweep(long nowNanos) {
    swarms.expire(nowNanos - config.getPeerTimeout().toNanos(), (infoHash, peer) -> {});
  }

  private byte[] reply(SwarmCounts counts, List<CompactPeer> peers) {
    int v4 = 0;
    int v6 = 0;
    for (CompactPeer peer : peers) {
      if (peer.isIpv6()) {
        v6 += peer.length();
      } else {
        v4 += peer.length();
      }
    }
    byte[] peers4 = new byte[v4];
    byte[] peers6 = new byte[v6];
    int at4 = 0;
    int at6 = 0;
    for (CompactPeer peer : peers) {
      if (peer.isIpv6()) {
        peer.copyTo(peers6, at6);
        at6 += peer.length();
      } else {
        peer.copyTo(peers4, at4);
        at4 += peer.length();
      }
    }
    return BencodeEncoder.encode(
        BDictionary.builder()
            .put("complete", counts.complete())
            .put("incomplete", counts.incomplete())
            .put("interval", config.getInterval().toSeconds())
            .put("min interval", config.getMinInterval().toSeconds())
            .put("peers", peers4)
            .put("peers6", peers6)
            .build());
  }

  /** BEP 3's error reply: a dictionary with only {@code failure reason}. */
  public static byte[] failure(String reason) {
    return BencodeEncoder.encode(BDictionary.builder().put("failure reason", reason).build());
  }

  private void requirePublished(InfoHash infoHash) {
    if (!allowList.allows(infoHash)) {
      throw new TrackerFailure(RejectReason.NOT_PUBLISHED, "torrent not published by this origin");
    }
  }

  private static byte[] twentyBytes(QueryString query, String name) {
    byte[] value = query.bytes(name);
    if (value == null) {
      throw new TrackerFailure(name + " is required");
    }
    if (value.length != 20) {
      throw new TrackerFailure("invalid " + name + " (must be 20 bytes, got " + value.length + ")");
    }
    return value;
  }

  private static int port(QueryString query) {
    long port = number(query, "port", -1);
    if (port < 1 || port > 65535) {
      throw new TrackerFailure("invalid port");
    }
    return (int) port;
  }

  /** {@code left}; absent means unknown, i.e. a leecher. */
  private static long left(QueryString query) {
    return number(query, "left", Long.MAX_VALUE);
  }

  private int numwant(QueryString query) {
    long numwant = number(query, "numwant", config.getDefaultNumwant());
    return (int) Math.min(Math.max(numwant, 0), config.getMaxNumwant());
  }

  /** A non-negative decimal parameter, {@code absent} if missing. */
  private static long number(QueryString query, String name, long absent) {
    String text = query.text(name);
    if (text == null) {
      return absent;
    }
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
      throw new TrackerFailure("invalid " + name);
    }
    return Long.parseLong(text);
  }

  private static boolean isKnownEvent(String event) {
    switch (event) {
      case "started":
      case "stopped":
      case "completed":
      case "paused":
      case "empty":
      case "":
        return true;
      default:
        return false;
    }
  }

  /**
   * The connection's address, or the {@code ip} parameter if the operator allows it. Only IP
   * literals are accepted: resolving a host name would let any client make the origin do DNS.
   */
  private InetAddress address(QueryString query, InetAddress remote) {
    String ip = query.text("ip");
    if (ip == null || !config.isAllowIpParameter()) {
      return remote;
    }
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(ip);
    if (literal == null) {
      throw new TrackerFailure("invalid ip (must be an IP address)");
    }
    try {
      return InetAddress.getByAddress(literal);
    } catch (UnknownHostException e) {
      throw new TrackerFailure("invalid ip (must be an IP address)");
    }
  }
}
