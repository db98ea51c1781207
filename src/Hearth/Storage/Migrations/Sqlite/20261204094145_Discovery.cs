using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Discovery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "CommunityPage",
                table: "Sites",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "ListOnExplore",
                table: "Sites",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "ShowOnProfile",
                table: "People",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_People_SiteId_TrustLevel_LastCommentAt",
                table: "People",
                columns: new[] { "SiteId", "TrustLevel", "LastCommentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Comments_SiteId_Status_CreatedAt",
                table: "Comments",
                columns: new[] { "SiteId", "Status", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_SiteId_TrustLevel_LastCommentAt",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_Comments_SiteId_Status_CreatedAt",
                table: "Comments");

            migrationBuilder.DropColumn(
                name: "CommunityPage",
                table: "Sites");

            migrationBuilder.DropColumn(
                name: "ListOnExplore",
                table: "Sites");

            migrationBuilder.DropColumn(
                name: "ShowOnProfile",
                table: "People");
        }
    }
}
