using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChecksIndexesHoldCommentsWrittenHere : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Comments_SiteId_WordsHash_CreatedAt",
                table: "Comments");

            migrationBuilder.DropIndex(
                name: "IX_Comments_ThreadId_BodyHash_CreatedAt",
                table: "Comments");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_SiteId_WordsHash_CreatedAt",
                table: "Comments",
                columns: new[] { "SiteId", "WordsHash", "CreatedAt" },
                filter: "\"ImportSource\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_ThreadId_BodyHash_CreatedAt",
                table: "Comments",
                columns: new[] { "ThreadId", "BodyHash", "CreatedAt" },
                filter: "\"ImportSource\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Comments_SiteId_WordsHash_CreatedAt",
                table: "Comments");

            migrationBuilder.DropIndex(
                name: "IX_Comments_ThreadId_BodyHash_CreatedAt",
                table: "Comments");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_SiteId_WordsHash_CreatedAt",
                table: "Comments",
                columns: new[] { "SiteId", "WordsHash", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Comments_ThreadId_BodyHash_CreatedAt",
                table: "Comments",
                columns: new[] { "ThreadId", "BodyHash", "CreatedAt" });
        }
    }
}
