package com.membersync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Requests to a running sandbox over real HTTP, with a vendor's credentials, as the sandbox tests send them. */
final class SandboxHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final SandboxServer sandbox;

    SandboxHttp(SandboxServer sandbox) {
        this.sandbox = sandbox;
    }

    HttpResponse<String> hang(String method, String path, String body) throws Exception {
        return hangAs(HangSandbox.DEFAULT_API_KEY, method, path, body);
    }

    HttpResponse<String> hangAs(String apiKey, String method, String path, String body) throws Exception {
        return send(method, sandbox.baseUrl("hang") + path, body, "X-API-Key", apiKey);
    }

    HttpResponse<String> decoda(String method, String path, String body) throws Exception {
        return decodaAs(DecodaSandbox.DEFAULT_TENANT, method, path, body);
    }

    HttpResponse<String> decodaAs(String tenant, String method, String path, String body) throws Exception {
        return send(method, sandbox.baseUrl("decoda") + path, body, "API-KEY", DecodaSandbox.DEFAULT_API_KEY,
                "TENANT", tenant);
    }

    HttpResponse<String> mayar(String method, String path, String body) throws Exception {
        return mayarAs(MayarSandbox.DEFAULT_API_KEY, method, path, body);
    }

    HttpResponse<String> mayarAs(String apiKey, String method, String path, String body) throws Exception {
        return send(method, sandbox.baseUrl("mayar") + path, body, "Authorization", "Bearer " + apiKey);
    }

    /** A request to {@code vendor} with {@code account}'s own credentials, whichever vendor it is. */
    HttpResponse<String> as(VendorSandbox account, String method, String path, String body) throws Exception {
        var credentials = account.credentials();
        return switch (account) {
            case HangSandbox hang -> hangAs(credentials.get("api-key"), method, path, body);
            case DecodaSandbox decoda -> send(method, sandbox.baseUrl("decoda") + path, body,
                    "API-KEY", credentials.get("api-key"), "TENANT", credentials.get("tenant"));
            case MayarSandbox mayar -> mayarAs(credentials.get("api-key"), method, path, body);
        };
    }

    HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return send(method, sandbox.adminUrl() + path, body);
    }

    HttpResponse<String> send(String method, String url, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's JSON body, after asserting its status. */
    static JsonNode body(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
