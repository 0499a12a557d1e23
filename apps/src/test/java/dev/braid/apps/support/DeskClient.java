package dev.braid.apps.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** An agent's side of the desk API over HTTP, for the tests. */
final class DeskClient {

    final HttpClient client;
    final URI base;

    DeskClient(HttpClient client, URI base) {
        this.client = client;
        this.base = base;
    }

    HttpResponse<String> login(String name, String password) throws Exception {
        return post(
                "/api/login",
                null,
                SameAnswer.JSON
                        .createObjectNode()
                        .put("name", name)
                        .put("password", password)
                        .toString());
    }

    /** Signs in as the test desk's agent and returns the bearer token. */
    String token() throws Exception {
        HttpResponse<String> r = login(TestDesk.AGENT, TestDesk.PASSWORD);
        if (r.statusCode() != 200) {
            throw new AssertionError("sign-in failed: " + r.statusCode() + " " + r.body());
        }
        return SameAnswer.JSON.readTree(r.body()).get("token").asText();
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> bytes(String path, String token) throws Exception {
        return client.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String token, String json) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a ticket with only a message and returns its answer. */
    JsonNode ticket(String text) throws Exception {
        HttpResponse<String> r =
                new MultipartBody().text("text", text).post(client, base.resolve("/api/tickets"));
        if (r.statusCode() != 200) {
            throw new AssertionError("ticket refused: " + r.statusCode() + " " + r.body());
        }
        return SameAnswer.JSON.readTree(r.body());
    }
}
