package io.edgefleet.controlplane.devices.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlTranslatorTest {

  @Test
  void shouldParseAndWithSemicolonsAndOrWithCommasWithAndBindingTighter() {
    QueryNode n = QueryParser.parse("arch==x86_64;ramMb=ge=2048,tag==lab");

    assertThat(n).isInstanceOf(QueryNode.Or.class);
    QueryNode.Or or = (QueryNode.Or) n;
    assertThat(or.children()).hasSize(2);
    assertThat(or.children().get(0)).isInstanceOf(QueryNode.And.class);
    assertThat(or.children().get(1)).isEqualTo(
        new QueryNode.Comparison("tag", QueryNode.Operator.EQ, List.of("lab"), 27));
  }

  @Test
  void shouldTranslateTheBriefExampleToParameterisedSql() {
    SqlCondition c = SqlTranslator.translate("hardwareClass==hc-1;tag==lab;ramMb=ge=2048;arch==x86_64", "q");

    assertThat(c.sql()).isEqualTo("(d.hardware_class = :q0 AND EXISTS (SELECT 1 FROM device_tag x WHERE "
        + "x.device_id = d.id AND x.tag = :q1) AND (d.ram_bytes / 1048576) >= :q2 AND d.arch = :q3)");
    assertThat(c.params()).containsEntry("q0", "hc-1").containsEntry("q1", "lab").containsEntry("q2", 2048L)
        .containsEntry("q3", "x86_64");
  }

  @Test
  void shouldKeepHostileValuesOutOfTheSql() {
    SqlCondition c = SqlTranslator.translate("name=='x\\' OR 1=1 --'", "q");

    assertThat(c.sql()).isEqualTo("d.name = :q0");
    assertThat(c.params()).containsEntry("q0", "x' OR 1=1 --");
  }

  @Test
  void shouldSupportGroupingInOutWildcardsNegationAttributesAndTimes() {
    assertThat(SqlTranslator.translate("(arch==arm64,arch==x86_64);cores>4", "q").sql())
        .isEqualTo("((d.arch = :q0 OR d.arch = :q1) AND d.cores > :q2)");
    assertThat(SqlTranslator.translate("arch=in=(arm64,'x86_64')", "q").sql()).isEqualTo("d.arch IN (:q0, :q1)");
    assertThat(SqlTranslator.translate("arch=out=(arm64)", "q").sql())
        .isEqualTo("(d.arch IS NULL OR d.arch NOT IN (:q0))");
    SqlCondition like = SqlTranslator.translate("name==bench_*", "q");
    assertThat(like.sql()).isEqualTo("d.name LIKE :q0 ESCAPE '\\'");
    assertThat(like.params()).containsEntry("q0", "bench\\_%");
    assertThat(SqlTranslator.translate("os!=Linux", "q").sql()).isEqualTo("d.os IS DISTINCT FROM :q0");
    assertThat(SqlTranslator.translate("tag!=lab", "q").sql()).startsWith("NOT EXISTS (SELECT 1 FROM device_tag");
    SqlCondition attr = SqlTranslator.translate("attr.site==lab", "q");
    assertThat(attr.sql()).isEqualTo("EXISTS (SELECT 1 FROM device_attribute x WHERE x.device_id = d.id AND "
        + "x.name = :q0 AND x.value = :q1)");
    assertThat(attr.params()).containsEntry("q0", "site").containsEntry("q1", "lab");
    assertThat(SqlTranslator.translate("lastSeenAt=gt=2026-01-01T00:00:00Z", "q").params())
        .containsEntry("q0", Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(SqlTranslator.translate("arch==arm64 and cores=le=2 or tag==x", "q").sql())
        .isEqualTo("((d.arch = :q0 AND d.cores <= :q1) OR EXISTS (SELECT 1 FROM device_tag x WHERE x.device_id = "
            + "d.id AND x.tag = :q2))");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "colour==red                | unknown selector 'colour'",
      "arch=~x86                  | unknown operator '=~x86'",
      "arch                       | expected an operator but the query ended",
      "arch==                     | expected a value but the query ended",
      "arch==x86;                 | expected a selector but the query ended",
      "(arch==x86                 | expected ')' but the query ended",
      "arch==x86)                 | unexpected token ')'",
      "ramMb=ge=lots              | value 'lots' of 'ramMb' is not an integer",
      "arch=gt=x86                | needs an integer or time selector",
      "tag=gt=x                   | is not supported on 'tag'",
      "arch==(a,b)                | takes exactly one value",
      "arch=='open                | unterminated quoted value",
      "lastSeenAt=lt=yesterday    | not an ISO-8601 instant",
      "attr.==x                   | names no attribute",
  })
  void shouldRejectBadQueriesNamingTheOffendingToken(String query, String message) {
    assertThatThrownBy(() -> SqlTranslator.translate(query, "q"))
        .isInstanceOfSatisfying(ControlPlaneException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DEVICE_QUERY))
        .hasMessageContaining(message).hasMessageContaining("at position");
  }

  @Test
  void shouldRejectAnEmptyQuery() {
    assertThatThrownBy(() -> QueryParser.parse("  ")).isInstanceOf(ControlPlaneException.class)
        .hasMessageContaining("empty");
  }
}
