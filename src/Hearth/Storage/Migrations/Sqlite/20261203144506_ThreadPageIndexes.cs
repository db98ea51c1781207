using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ThreadPageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Comments_ThreadId_Rank",
                table: "Comments");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_Pinned",
                table: "Comments",
                columns: new[] { "ThreadId", "CreatedAt" },
                filter: "\"Pinned\"");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_ThreadId_RootId_Rank_CreatedAt",
                table: "Comments",
                columns: new[] { "ThreadId", "RootId", "Rank", "CreatedAt" },
                descending: new[] { false, false, true, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Comments_Pinned",
                table: "Comments");

            migrationBuilder.DropIndex(
                name: "IX_Comments_ThreadId_RootId_Rank_CreatedAt",
                table: "Comments");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_ThreadId_Rank",
                table: "Comments",
                columns: new[] { "ThreadId", "Rank" });
        }
    }
}
