using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SsoSiteColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "SsoSiteId",
                table: "Users",
                type: "bigint",
                nullable: true);

            // People a site's sign-in made were told apart by their user name, "sso-{site id}-..." (accounts' names were
            // always "u" and a number): the column says it now. One left from a site since removed (an identity that had
            // been linked to an account) gets 0, which no site has, so it stays without a public profile as before.
            migrationBuilder.Sql("""
                UPDATE "Users" SET "SsoSiteId" = COALESCE((SELECT s."Id" FROM "Sites" s WHERE "Users"."UserName" LIKE 'sso-' || s."Id" || '-%'), 0)
                WHERE "UserName" LIKE 'sso-%'
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Users_SsoSiteId",
                table: "Users",
                column: "SsoSiteId",
                filter: "\"SsoSiteId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to the names the older version reads, so the identities made since stay the sites' people.
            migrationBuilder.Sql("""
                UPDATE "Users" SET "UserName" = 'sso-' || "SsoSiteId" || '-' || "UserName",
                    "NormalizedUserName" = UPPER('sso-' || "SsoSiteId" || '-' || "UserName")
                WHERE "SsoSiteId" IS NOT NULL AND "UserName" NOT LIKE 'sso-%'
                """);

            migrationBuilder.DropIndex(
                name: "IX_Users_SsoSiteId",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "SsoSiteId",
                table: "Users");
        }
    }
}
