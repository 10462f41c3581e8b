package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import store.code.api.v1alpha1.UpgradeCheck;
import store.code.schema.SchemaCompiler;


class UpgradeGateTest {
  static final String V1 = "type Item @model { name: String  price: Int }";
  static final String V2 = "type Item @model { price: Int  stock: Int }";

  @Test
  void aRefusedPlanKeepsTheInstanceWhereItIsAndSaysWhatWouldBeLost() {
    var check = UpgradeGate.check("1.1.0", V1, "2.0.0", V2, Optional.of(new MigrationDryRuns.Plan(
        List.of("ALTER TABLE \"item\" DROP COLUMN \"name\""), List.of("field Item.name was removed, and 3 rows have a value in it"))), SchemaCompiler::compile);
    assertThat(check.getResult()).isEqualTo(UpgradeCheck.REFUSED);
    assertThat(check.getBreakingChanges()).contains("Item.name: The new API is missing the field 'Item.name'");
    assertThat(UpgradeGate.refusal(check)).contains("version 2.0.0").contains("3 rows have a value")
        .contains("keeps serving version 1.1.0");
  }

  @Test
  void aCleanPlanPassesAndNoPlanLeavesItToTheRuntime() {
    var planned = UpgradeGate.check("1.1.0", V1, "1.2.0", V1 + " type Tag @model { label: String }",
        Optional.of(new MigrationDryRuns.Plan(List.of("CREATE TABLE \"tag\" (...)"), List.of())), SchemaCompiler::compile);
    assertThat(planned.getResult()).isEqualTo(UpgradeCheck.PLANNED);
    assertThat(planned.getBreakingChanges()).isEmpty();
    assertThat(planned.getStatements()).hasSize(1);

    var unchecked = UpgradeGate.check("1.1.0", V1, "2.0.0", V2, Optional.empty(), SchemaCompiler::compile);
    assertThat(unchecked.getResult()).isEqualTo(UpgradeCheck.NOT_CHECKED);
    assertThat(unchecked.getBreakingChanges()).isNotEmpty();
    assertThat(unchecked.getStatements()).isEmpty();
  }

  @Test
  void aSchemaThatNoLongerCompilesIsSaidInTheDiffNotThrown() {
    var check = UpgradeGate.check("0.9.0", "type Item @model { name: Strin }", "1.0.0", V1, Optional.empty(),
        SchemaCompiler::compile);
    assertThat(check.getBreakingChanges()).singleElement().asString().startsWith("the API diff could not be computed");
  }
}
