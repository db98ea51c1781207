using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Profiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Bio",
                table: "Users",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ListOnProfiles",
                table: "Sites",
                type: "INTEGER",
                nullable: false,
                // Sites that existed before the setting list their comments, as new ones do.
                defaultValue: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Bio",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "ListOnProfiles",
                table: "Sites");
        }
    }
}
