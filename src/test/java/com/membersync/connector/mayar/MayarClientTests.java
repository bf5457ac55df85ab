package com.membersync.connector.mayar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Which answers to a read of one member are Mayar's: its envelope is not documented, so both of Mayar's shapes are. */
class MayarClientTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aReadAnsweredWithTheMemberAsTheListHoldsItFindsTheMember() {
        // given
        JsonNode answer = JSON.readTree("""
                {"statusCode": 200, "messages": "success", "data": {"memberId": "MBR8X2QK", "status": "active"}}""");

        // when
        JsonNode member = MayarClient.readMember(answer, "MBR8X2QK");

        // then
        assertThat(member.path("status").asString()).isEqualTo("active");
    }

    @Test
    void aReadAnsweredInTheUpdatesEnvelopeFindsTheMember() {
        // given
        JsonNode answer = JSON.readTree("""
                {"statusCode": 200, "message": "success",
                 "data": {"membershipCustomer": {"memberId": "MBR8X2QK", "status": "inactive"}}}""");

        // when
        JsonNode member = MayarClient.readMember(answer, "MBR8X2QK");

        // then
        assertThat(member.path("status").asString()).isEqualTo("inactive");
    }

    @Test
    void aReadNamingAnotherMemberOrNoneIsNotTheAnswer() {
        // given
        JsonNode another = JSON.readTree("""
                {"statusCode": 200, "data": {"membershipCustomer": {"memberId": "OTHER"}}}""");
        JsonNode none = JSON.readTree("""
                {"ok": true}""");

        // when / then
        assertThat(MayarClient.readMember(another, "MBR8X2QK")).isNull();
        assertThat(MayarClient.readMember(none, "MBR8X2QK")).isNull();
    }
}
