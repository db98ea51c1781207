using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UniqueEmail : Migration
    {
        /// <summary>
        /// Before the index, an address held by more than one account (two sign-ups that met, on several nodes) stays with
        /// one of them: the oldest confirmed account, else the oldest. The others' address is moved aside to a marked form,
        /// "name@example.com.duplicate-42.invalid" (42 being the account's id), which no mail reaches (.invalid is
        /// reserved) and no one can sign up with by mistake. Those people still sign in with that marked address and their
        /// password, a passkey or a provider; nothing else of their account changes.
        /// </summary>
        const string MoveDuplicateAddressesAside = """
            UPDATE "Users" SET
                "Email" = substr("Email", 1, 200) || '.duplicate-' || "Id" || '.invalid',
                "NormalizedEmail" = substr("NormalizedEmail", 1, 200) || '.DUPLICATE-' || "Id" || '.INVALID'
            WHERE "NormalizedEmail" IS NOT NULL AND EXISTS (
                SELECT 1 FROM "Users" AS "k"
                WHERE "k"."NormalizedEmail" = "Users"."NormalizedEmail" AND "k"."Id" <> "Users"."Id"
                    AND ("k"."EmailConfirmed" > "Users"."EmailConfirmed"
                        OR ("k"."EmailConfirmed" = "Users"."EmailConfirmed"
                            AND ("k"."CreatedAt" < "Users"."CreatedAt" OR ("k"."CreatedAt" = "Users"."CreatedAt" AND "k"."Id" < "Users"."Id")))))
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(MoveDuplicateAddressesAside);

            migrationBuilder.DropIndex(
                name: "EmailIndex",
                table: "Users");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "Users",
                column: "NormalizedEmail",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "EmailIndex",
                table: "Users");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "Users",
                column: "NormalizedEmail");
        }
    }
}
