using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImportRowsByAuthor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_RunId_AuthorKey",
                table: "ImportRows",
                columns: new[] { "RunId", "AuthorKey" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ImportRows_RunId_AuthorKey",
                table: "ImportRows");
        }
    }
}
