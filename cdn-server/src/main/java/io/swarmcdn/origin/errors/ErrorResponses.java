package io.swarmcdn.origin.errors;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the origin's one error shape, {@code {"error": "not_found", "message": "..."}}: {@code
 * error} is the status as a stable snake_case code for programs, {@code message} is for people.
 */
public final class ErrorResponses {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ErrorResponses() {}

  public static Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String message) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.error(new IllegalStateException("response already committed: " + message));
    }
    response.setStatusCode(status);
    HttpHeaders request = exchange.getRequest().getHeaders();
    if (request.getContentLength() > 0 || request.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
      // The body may be unread (e.g. an upload refused up front): don't leave the client
      // sending it into a connection that would then parse the rest as the next request.
      response.getHeaders().set(HttpHeaders.CONNECTION, "close");
    }
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] body = body(status, message);
    response.getHeaders().setContentLength(body.length);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  /**
   * The same error from a reactor-netty route that answers before Spring (media, the base-path
   * guard); no body for HEAD (RFC 9110 section 9.3.2).
   */
  public static Mono<Void> send(HttpServerRequest request, HttpServerResponse response,
      HttpResponseStatus status, String message) {
    return send(request, response, status, HttpHeaderValues.APPLICATION_JSON,
        body(HttpStatusCode.valueOf(status.code()), message));
  }

  /**
   * An error in another shape than the origin's JSON (the HTTP tracker's bencoded failure
   * reason), from a reactor-netty route; no body for HEAD.
   */
  public static Mono<Void> send(HttpServerRequest request, HttpServerResponse response,
      HttpResponseStatus status, CharSequence contentType, byte[] body) {
    response.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, contentType)
        .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
    if (request.method() == HttpMethod.HEAD) {
      return response.send();
    }
    return response.sendObject(Unpooled.wrappedBuffer(body)).then();
  }

  /** The JSON body of an error response ({@code application/json}). */
  public static byte[] body(HttpStatusCode status, String message) {
    // In this order, always (Map.of's order changes from one run to the next).
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("error", code(status));
    fields.put("message", message == null ? "" : message);
    return JSON.writeValueAsBytes(fields);
  }

  /** {@code 404} -> {@code not_found}, {@code 413} -> {@code content_too_large}. */
  public static String code(HttpStatusCode status) {
    if (status instanceof org.springframework.http.HttpStatus known) {
      return known.name().toLowerCase(Locale.ROOT);
    }
    return "http_" + status.value();
  }
}
