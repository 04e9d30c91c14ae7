package io.swarmcdn.origin.stats;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/admin/stats/origin} (admin token required, see the auth filter). */
@RestController
class OriginStatsController {
  private final OriginStats stats;

  OriginStatsController(OriginStats stats) {
    this.stats = stats;
  }

  record OriginStatsView(long totalBytes, long totalRequests, List<OriginStats.FileStats> files) {}

  @GetMapping("/api/v1/admin/stats/origin")
  OriginStatsView origin() {
    return new OriginStatsView(stats.totalBytes(), stats.totalRequests(), stats.files());
  }
}
