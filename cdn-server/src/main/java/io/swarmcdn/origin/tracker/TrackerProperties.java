package io.swarmcdn.origin.tracker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the origin's trackers ({@code swarmcdn.tracker.*}): the classic HTTP tracker (BEP 3,
 * 23, 7, 48) and the WebTorrent WebSocket tracker, both at {@code /announce}. Every limit bounds
 * memory or work that a client could otherwise grow at will.
 */
@ConfigurationProperties("swarmcdn.tracker")
public class TrackerProperties {

  /**
   * Serve any info-hash instead of only the torrents this origin publishes. Off by default, so
   * that the origin cannot be used as a public tracker for arbitrary content.
   */
  private boolean allowAnyInfoHash = false;

  /** Swarms (torrents) each tracker keeps at once; announces for further torrents are refused. */
  private int maxSwarms = 100_000;

  /**
   * Peers kept per swarm and tracker; beyond it the peer that announced least recently is dropped
   * (LRU).
   */
  private int maxPeersPerSwarm = 1000;

  /** How often expired peers, offers and idle sockets are swept. */
  private Duration sweepPeriod = Duration.ofSeconds(10);

  private final Http http = new Http();
  private final WebSocket websocket = new WebSocket();
  private final ScrapeAll scrapeAll = new ScrapeAll();

  public boolean isAllowAnyInfoHash() {
    return allowAnyInfoHash;
  }

  public void setAllowAnyInfoHash(boolean allowAnyInfoHash) {
    this.allowAnyInfoHash = allowAnyInfoHash;
  }

  public int getMaxSwarms() {
    return maxSwarms;
  }

  public void setMaxSwarms(int maxSwarms) {
    this.maxSwarms = maxSwarms;
  }

  public int getMaxPeersPerSwarm() {
    return maxPeersPerSwarm;
  }

  public void setMaxPeersPerSwarm(int maxPeersPerSwarm) {
    this.maxPeersPerSwarm = maxPeersPerSwarm;
  }

  public Duration getSweepPeriod() {
    return sweepPeriod;
  }

  public void setSweepPeriod(Duration sweepPeriod) {
    this.sweepPeriod = sweepPeriod;
  }

  public Http getHttp() {
    return http;
  }

  public WebSocket getWebsocket() {
    return websocket;
  }

  public ScrapeAll getScrapeAll() {
    return scrapeAll;
  }

  /**
   * Scrapes without {@code info_hash} (BEP 48 "all torrents"; {@code GET /scrape} and the
   * WebSocket {@code {"action":"scrape"}}), which list many torrents for one short request.
   */
  public static class ScrapeAll {

    /**
     * Torrents listed: those with the most peers (both transports together); torrents without
     * peers are not listed. 0 refuses such scrapes with a {@code failure reason}. One torrent costs
     * about 80 bytes over HTTP and up to 200 over WebSocket, where the whole answer must fit the
     * socket's {@code outbound-buffer}.
     */
    private int maxTorrents = 1000;

    /**
     * How long one listing is reused. After it, a scrape still gets the old listing and starts one
     * new walk over the swarms in the background, so the counts may be this period plus one walk
     * old, and however many such scrapes come in, the swarms are walked at most once per period.
     * 0: every such scrape walks the swarms itself, on its event loop (tests, small trackers).
     */
    private Duration refresh = Duration.ofSeconds(5);

    public int getMaxTorrents() {
      return maxTorrents;
    }

    public void setMaxTorrents(int maxTorrents) {
      this.maxTorrents = maxTorrents;
    }

    public Duration getRefresh() {
      return refresh;
    }

    public void setRefresh(Duration refresh) {
      this.refresh = refresh;
    }
  }

  /** The classic HTTP tracker ({@code GET /announce}, {@code GET /scrape}). */
  public static class Http {

    /** Announce interval sent to clients ({@code interval}). */
    private Duration interval = Duration.ofMinutes(15);

    /** Minimum announce interval sent to clients ({@code min interval}). */
    private Duration minInterval = Duration.ofMinutes(1);

    /** A peer that has not announced for this long is dropped (a few intervals). */
    private Duration peerTimeout = Duration.ofMinutes(45);

    /** Peers returned when the client sends no {@code numwant}. */
    private int defaultNumwant = 50;

    /** Upper bound for {@code numwant}. */
    private int maxNumwant = 200;

    /** Info-hashes accepted in one scrape request. */
    private int maxScrapeInfoHashes = 64;

    /**
     * Honour the {@code ip} parameter (an IP literal) instead of the connection's address. Only
     * safe behind a trusted proxy or on a LAN: otherwise anyone can point peers at a third party.
     */
    private boolean allowIpParameter = false;

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    public Duration getMinInterval() {
      return minInterval;
    }

    public void setMinInterval(Duration minInterval) {
      this.minInterval = minInterval;
    }

    public Duration getPeerTimeout() {
      return peerTimeout;
    }

    public void setPeerTimeout(Duration peerTimeout) {
      this.peerTimeout = peerTimeout;
    }

    public int getDefaultNumwant() {
      return defaultNumwant;
    }

    public void setDefaultNumwant(int defaultNumwant) {
      this.defaultNumwant = defaultNumwant;
    }

    public int getMaxNumwant() {
      return maxNumwant;
    }

    public void setMaxNumwant(int maxNumwant) {
      this.maxNumwant = maxNumwant;
    }

    public int getMaxScrapeInfoHashes() {
      return maxScrapeInfoHashes;
    }

    public void setMaxScrapeInfoHashes(int maxScrapeInfoHashes) {
      this.maxScrapeInfoHashes = maxScrapeInfoHashes;
    }

    public boolean isAllowIpParameter() {
      return allowIpParameter;
    }

    public void setAllowIpParameter(boolean allowIpParameter) {
      this.allowIpParameter = allowIpParameter;
    }
  }

  /** The WebTorrent tracker (WebSocket upgrade on {@code /announce}). */
  public static class WebSocket {

    /** Announce interval sent to clients ({@code interval}). */
    private Duration interval = Duration.ofMinutes(2);

    /** A peer that has not announced for this long is dropped (a few intervals). */
    private Duration peerTimeout = Duration.ofMinutes(6);

    /**
     * Largest accepted message (one text frame); a bigger frame closes the socket with 1009
     * before anything is parsed.
     */
    private DataSize maxMessageSize = DataSize.ofKilobytes(64);

    /** Offers accepted in one announce; more are refused with a {@code failure reason}. */
    private int maxOffersPerAnnounce = 10;

    /**
     * How long a forwarded offer may be answered. An answer is relayed only for an offer this
     * socket received and that has not expired, so a client cannot send answers to arbitrary peers.
     */
    private Duration offerLifetime = Duration.ofSeconds(120);

    /** Offers awaiting an answer per socket; the oldest is forgotten beyond it. */
    private int maxPendingOffersPerSocket = 100;

    /** Swarms one socket may take part in at once. */
    private int maxSwarmsPerSocket = 100;

    /**
     * Sustained messages (announces, answers, scrapes) per second and socket; beyond it a message
     * gets a {@code failure reason} without being parsed.
     */
    private double announceRate = 5;

    /** Messages a socket may send in a burst above {@link #announceRate}. */
    private int announceBurst = 50;

    /** A socket that sends nothing for this long is closed. */
    private Duration idleTimeout = Duration.ofMinutes(5);

    /** Open sockets at once; further connections are closed at once with 1013 (try again later). */
    private int maxSockets = 50_000;

    /**
     * Bytes queued for one socket that the client has not read yet; a socket that falls further
     * behind is closed, so a slow reader cannot grow the server's memory.
     */
    private DataSize outboundBuffer = DataSize.ofMegabytes(1);

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    public Duration getPeerTimeout() {
      return peerTimeout;
    }

    public void setPeerTimeout(Duration peerTimeout) {
      this.peerTimeout = peerTimeout;
    }

    public DataSize getMaxMessageSize() {
      return maxMessageSize;
    }

    public void setMaxMessageSize(DataSize maxMessageSize) {
      this.maxMessageSize = maxMessageSize;
    }

    public int getMaxOffersPerAnnounce() {
      return maxOffersPerAnnounce;
    }

    public void setMaxOffersPerAnnounce(int maxOffersPerAnnounce) {
      this.maxOffersPerAnnounce = maxOffersPerAnnounce;
    }

    public Duration getOfferLifetime() {
      return offerLifetime;
    }

    public void setOfferLifetime(Duration offerLifetime) {
      this.offerLifetime = offerLifetime;
    }

    public int getMaxPendingOffersPerSocket() {
      return maxPendingOffersPerSocket;
    }

    public void setMaxPendingOffersPerSocket(int maxPendingOffersPerSocket) {
      this.maxPendingOffersPerSocket = maxPendingOffersPerSocket;
    }

    public int getMaxSwarmsPerSocket() {
      return maxSwarmsPerSocket;
    }

    public void setMaxSwarmsPerSocket(int maxSwarmsPerSocket) {
      this.maxSwarmsPerSocket = maxSwarmsPerSocket;
    }

    public double getAnnounceRate() {
      return announceRate;
    }

    public void setAnnounceRate(double announceRate) {
      this.announceRate = announceRate;
    }

    public int getAnnounceBurst() {
      return announceBurst;
    }

    public void setAnnounceBurst(int announceBurst) {
      this.announceBurst = announceBurst;
    }

    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    public int getMaxSockets() {
      return maxSockets;
    }

    public void setMaxSockets(int maxSockets) {
      this.maxSockets = maxSockets;
    }

    public DataSize getOutboundBuffer() {
      return outboundBuffer;
    }

    public void setOutboundBuffer(DataSize outboundBuffer) {
      this.outboundBuffer = outboundBuffer;
    }
  }
}
