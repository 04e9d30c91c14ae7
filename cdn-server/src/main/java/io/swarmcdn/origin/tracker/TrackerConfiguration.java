package io.swarmcdn.origin.tracker;

import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans shared by the HTTP and WebSocket trackers. */
@Configuration(proxyBeanMethods = false)
public class TrackerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(TrackerConfiguration.class);

  @Bean
  TrackerStats trackerStats() {
    return new TrackerStats();
  }

  @Bean
  SwarmCensus swarmCensus() {
    return new SwarmCensus();
  }

  @Bean
  TorrentAllowList torrentAllowList(
      TrackerProperties properties, ObjectProvider<PublishedTorrents> published) {
    PublishedTorrents catalog = published.getIfAvailable();
    if (catalog == null && !properties.isAllowAnyInfoHash()) {
      log.warn(
          "No PublishedTorrents bean and swarmcdn.tracker.allow-any-info-hash=false:"
              + " the trackers will refuse every torrent");
    }
    return new TorrentAllowList(properties.isAllowAnyInfoHash(), catalog);
  }

  @Bean
  AllSwarmsScrape allSwarmsScrape(
      SwarmCensus census, TorrentAllowList allowList, TrackerProperties properties) {
    // The common pool: a walk is short and rare (at most one per refresh period), and needs no
    // thread of its own that would have to be shut down.
    return new AllSwarmsScrape(
        census, allowList, properties.getScrapeAll(), ForkJoinPool.commonPool());
  }

  @Bean
  TrackerSweeper trackerSweeper(List<Sweepable> sweepables, TrackerProperties properties) {
    return new TrackerSweeper(sweepables, properties.getSweepPeriod());
  }

  @Bean
  TrackerMetrics trackerMetrics(SwarmCensus census, TrackerStats stats) {
    return new TrackerMetrics(census, stats);
  }
}
